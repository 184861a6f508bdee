package zonegate.ice;

import java.nio.ByteBuffer;
import zonegate.stun.StunAttributeType;
import zonegate.stun.StunClass;
import zonegate.stun.StunMessageView;
import zonegate.stun.StunParseResult;
import zonegate.stun.StunParser;

/** Classifies what an agent sent, for assertions. */
final class Stun {
    enum Kind { CHECK, NOMINATION, SUCCESS, ERROR, OTHER }

    private static final StunParser PARSER = new StunParser();

    private Stun() {
    }

    static Kind kind(ByteBuffer payload) {
        if (!(PARSER.parse(payload, payload.position(), payload.remaining()) instanceof StunParseResult.Parsed(
                StunMessageView m))) {
            return Kind.OTHER;
        }
        return switch (m.messageClass()) {
            case REQUEST -> m.has(StunAttributeType.USE_CANDIDATE) ? Kind.NOMINATION : Kind.CHECK;
            case SUCCESS_RESPONSE -> Kind.SUCCESS;
            case ERROR_RESPONSE -> Kind.ERROR;
            case INDICATION -> Kind.OTHER;
        };
    }

    /** The ERROR-CODE of an error response, or -1. */
    static int errorCode(ByteBuffer payload) {
        return PARSER.parse(payload, payload.position(), payload.remaining()) instanceof StunParseResult.Parsed(
                StunMessageView m) ? m.errorCode() : -1;
    }

    static boolean isStun(StunClass c, ByteBuffer payload) {
        return PARSER.parse(payload, payload.position(), payload.remaining()) instanceof StunParseResult.Parsed(
                StunMessageView m) && m.messageClass() == c;
    }
}
