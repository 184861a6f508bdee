package zonegate.stun;

/**
 * The STUN methods zonegate speaks: BINDING (RFC 8489) and the TURN methods (RFC 8656 section 17).
 * A message of another method still parses; {@link #ofCode} then returns {@code null}.
 */
public enum StunMethod {
    BINDING(0x001),
    ALLOCATE(0x003),
    REFRESH(0x004),
    SEND(0x006),
    DATA(0x007),
    CREATE_PERMISSION(0x008),
    CHANNEL_BIND(0x009);

    private static final StunMethod[] BY_CODE = new StunMethod[0x00A];

    static {
        for (StunMethod method : values()) {
            BY_CODE[method.code] = method;
        }
    }

    private final int code;

    StunMethod(int code) {
        this.code = code;
    }

    /** The 12-bit method number. */
    public int code() {
        return code;
    }

    /** The method with 12-bit number {@code code}, or {@code null} if zonegate does not know it. */
    public static StunMethod ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The message type of this method in class {@code messageClass}. */
    public int type(StunClass messageClass) {
        return StunMessageType.of(code, messageClass);
    }
}
