package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import zonegate.tunnel.SiteStatus;

class SitesTest {
    private static final long S = 1_000_000_000L;

    @Test
    void offlineFallsBackToUnknownAfterFiveMinutes() {
        Sites sites = new Sites();
        sites.retain(Set.of("hq"));
        sites.takeChanged();
        sites.set("hq", SiteStatus.OFFLINE, 10 * S);
        assertThat(sites.pollTimeout()).isEqualTo(310 * S);
        sites.handleTimeout(309 * S);
        assertThat(sites.get("hq")).isEqualTo(SiteStatus.OFFLINE);
        sites.handleTimeout(310 * S);
        assertThat(sites.get("hq")).isEqualTo(SiteStatus.UNKNOWN);
        assertThat(sites.pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void changesComeOutOnceAsTheLatestValue() {
        Sites sites = new Sites();
        sites.retain(Set.of("hq", "lab"));
        sites.set("hq", SiteStatus.OFFLINE, 0);
        sites.set("hq", SiteStatus.ONLINE, 1);
        assertThat(sites.takeChanged()).isEqualTo(Map.of("hq", SiteStatus.ONLINE, "lab", SiteStatus.UNKNOWN));
        assertThat(sites.takeChanged()).isNull();
        sites.set("hq", SiteStatus.ONLINE, 2);
        assertThat(sites.takeChanged()).isNull();
    }

    @Test
    void aSiteNoResourceNamesIsIgnored() {
        Sites sites = new Sites();
        sites.retain(Set.of("hq"));
        sites.set("elsewhere", SiteStatus.ONLINE, 0);
        assertThat(sites.takeChanged()).isEqualTo(Map.of("hq", SiteStatus.UNKNOWN));
    }
}
