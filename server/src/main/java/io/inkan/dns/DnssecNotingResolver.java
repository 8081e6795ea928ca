package io.inkan.dns;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * A resolver for one lookup, in front of a {@link ValidatingResolver}, that notes what validation
 * made of the answers it passes on: secure only when every answer (each CNAME hop) came with AD set
 * (RFC 4035 §3.2.3); bogus when one came back as SERVFAIL with the validator's reason (the record
 * it puts in the additional section in class {@value ValidatingResolver#VALIDATION_REASON_QCLASS}).
 */
final class DnssecNotingResolver extends NotingResolver {
  private final AtomicBoolean answered = new AtomicBoolean();
  private final AtomicBoolean allSecure = new AtomicBoolean(true);
  private final AtomicReference<String> bogus = new AtomicReference<>();

  DnssecNotingResolver(ValidatingResolver delegate) {
    super(delegate);
  }

  /** The validator's reason when an answer was bogus. */
  Optional<String> bogusReason() {
    return Optional.ofNullable(bogus.get());
  }

  /** Bogus, else secure when every answer so far was validated, else insecure. */
  DnssecStatus status() {
    if (bogus.get() != null) {
      return DnssecStatus.BOGUS;
    }
    return answered.get() && allSecure.get() ? DnssecStatus.SECURE : DnssecStatus.INSECURE;
  }

  @Override
  Message note(Message answer) {
    answered.set(true);
    if (!answer.getHeader().getFlag(Flags.AD)) {
      allSecure.set(false);
    }
    if (answer.getRcode() == Rcode.SERVFAIL) {
      for (Record r : answer.getSection(Section.ADDITIONAL)) {
        if (r instanceof TXTRecord txt
            && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
          bogus.compareAndSet(null, String.join("", txt.getStrings()));
        }
      }
    }
    return answer;
  }
}
