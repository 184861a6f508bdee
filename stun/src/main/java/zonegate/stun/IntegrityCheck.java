package zonegate.stun;

/** The outcome of checking a MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256 attribute. */
public enum IntegrityCheck {
    /** The attribute is present and its HMAC matches the key. */
    VALID,
    /** The attribute is present and its HMAC does not match (wrong key or altered message). */
    INVALID,
    /** The message has no such attribute. */
    ABSENT
}
