package io.inkan.dkim;

/** The end of a signing session: a signature field, or a refusal with a reason. */
public sealed interface SignResult {
  /**
   * @param field the DKIM-Signature field to add on top of the message (CRLF folding)
   */
  record Signed(HeaderField field) implements SignResult {}

  /**
   * @param reason why the message cannot be signed, e.g. it has no From field
   */
  record Refused(String reason) implements SignResult {}
}
