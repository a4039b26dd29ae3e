package io.salesync.common.event;

/** What a change did to a sale. */
public enum ChangeOp {
    /** The sale was created or corrected; the message carries its new content. */
    UPSERT,
    /** The sale was deleted; the message carries its last content, marked deleted. */
    DELETE
}
