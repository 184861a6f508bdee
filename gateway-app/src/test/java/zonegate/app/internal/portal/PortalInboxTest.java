package zonegate.app.internal.portal;

import zonegate.controlplane.PortalEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import zonegate.controlplane.Frame;
import zonegate.controlplane.PortalMessage;
import zonegate.controlplane.Wire;

class PortalInboxTest {
    private static final PortalEvent INIT = new PortalEvent.Message(new Frame("gateway", null,
            new PortalMessage.GatewayInit(new Wire.Interface("100.64.0.1", "fd00:2021:1111::1", List.of()), List.of(),
                    List.of())));

    @Test
    void inputsBeforeTheLoopAreHeldInOrderAndTheFirstInitIsAnnounced() {
        PortalInbox inbox = new PortalInbox();
        inbox.accept(new PortalEvent.Connected());
        inbox.accept(INIT);
        List<Object> delivered = new ArrayList<>();

        inbox.attach(delivered::add);
        inbox.accept(new PortalEvent.Disconnected("gone"));

        assertThat(inbox.firstInit()).isCompletedWithValue(INIT);
        assertThat(delivered).containsExactly(new PortalEvent.Connected(), INIT, new PortalEvent.Disconnected("gone"));
    }

    @Test
    void aRefusalCompletesTheWaitForInit() {
        PortalInbox inbox = new PortalInbox();

        inbox.accept(new PortalEvent.Refused("invalid_token"));

        assertThat(inbox.firstInit()).isCompletedWithValue(new PortalEvent.Refused("invalid_token"));
    }

    @Test
    void aFullLoopQueueIsRetriedNotDropped() {
        PortalInbox inbox = new PortalInbox();
        AtomicInteger refusals = new AtomicInteger(3);
        List<Object> delivered = new ArrayList<>();
        inbox.attach(input -> refusals.getAndDecrement() <= 0 && delivered.add(input));

        inbox.accept(INIT);

        assertThat(delivered).containsExactly(INIT);
    }

    @Test
    void afterDetachInputsAreDroppedInsteadOfWaitingForALoopThatIsGone() {
        PortalInbox inbox = new PortalInbox();
        inbox.attach(input -> false);
        inbox.detach();

        inbox.accept(INIT);

        assertThat(inbox.firstInit()).isCompletedWithValue(INIT);
    }
}
