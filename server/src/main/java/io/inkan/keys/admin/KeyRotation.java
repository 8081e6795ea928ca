package io.inkan.keys.admin;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Rotates a domain's key of one type without a gap (RFC 6376 §3.6.1 lets several selectors be
 * published at once): add a new key, inactive; publish its record; wait until DNS serves it;
 * activate it; then let the domain's previously signing keys of that type sign only until a grace
 * period ends ({@code inkanDkimNotAfter}), so both sign during the overlap and mail signed with the
 * old key still verifies while it is in transit. When publishing or the check fails, the new key
 * stays inactive and nothing is retired; running again with its selector resumes there.
 */
public final class KeyRotation {
  /** Puts a key's record into DNS, or hands it to the operator; returns what it did. */
  @FunctionalInterface
  public interface Publication {
    String publish(String selector, NewKey key) throws KeyAdminException;
  }

  /** Returns once DNS serves the record's text at its name; describes where it looked. */
  @FunctionalInterface
  public interface Visibility {
    String await(String owner, String text) throws KeyAdminException;
  }

  /**
   * What to rotate.
   *
   * @param domain the signing domain
   * @param selector the new key's selector; empty for the first free default ({@link
   *     DkimNames#defaultSelectors}). An existing inactive key's selector resumes that rotation.
   * @param type the new key's type; only the domain's keys of this type are retired
   * @param bits RSA key size
   * @param retireAfter how long the old keys keep signing once the new one is visible
   */
  public record Request(
      String domain, Optional<String> selector, KeyType type, int bits, Duration retireAfter) {}

  /**
   * What was done.
   *
   * @param added the new key, active
   * @param retired the old keys with the time they stop signing
   */
  public record Result(KeyEntry added, List<Retired> retired) {}

  /** An old key and the end of its overlap. */
  public record Retired(KeyEntry key, Instant notAfter) {}

  private final KeyDirectory directory;
  private final Publication publication;
  private final Visibility visibility;
  private final Clock clock;
  private final Consumer<String> report;

  /**
   * @param report receives one line per step done
   */
  public KeyRotation(
      KeyDirectory directory,
      Publication publication,
      Visibility visibility,
      Clock clock,
      Consumer<String> report) {
    this.directory = directory;
    this.publication = publication;
    this.visibility = visibility;
    this.clock = clock;
    this.report = report;
  }

  /**
   * Rotates.
   *
   * @throws KeyAdminException naming the step that failed and the state it left
   */
  public Result rotate(Request request) throws KeyAdminException {
    String domain = DkimNames.normalize(request.domain());
    List<KeyEntry> before = directory.list(Optional.of(domain));
    Instant started = clock.instant();
    KeyEntry fresh;
    NewKey key;
    Optional<KeyEntry> resumed =
        request
            .selector()
            .flatMap(s -> before.stream().filter(e -> e.selector().equals(s)).findFirst());
    if (resumed.isPresent()) {
      fresh = resumed.get();
      if (fresh.enabled()) {
        throw new KeyAdminException(
            "selector " + fresh.selector() + " of " + domain + " is active already: " + fresh.dn());
      }
      key = parse(directory.privateKey(fresh), fresh);
      report.accept("resuming with the inactive key " + fresh.selector() + ": " + fresh.dn());
    } else {
      String selector =
          request.selector().orElseGet(() -> freeSelector(before, request.type(), started));
      try {
        key = NewKey.generate(request.type(), request.bits());
      } catch (GeneralSecurityException e) {
        throw new KeyAdminException("cannot generate the key: " + e.getMessage(), e);
      }
      fresh = directory.add(domain, selector, key, false);
      report.accept("added " + selector + " (inactive until its record is visible): " + fresh.dn());
    }
    String owner = DkimNames.recordName(fresh.selector(), domain);
    String unfinished =
        "; the new key "
            + fresh.selector()
            + " stays inactive and no key was retired (once its record is published, run"
            + " rotate again with --selector "
            + fresh.selector()
            + ")";
    try {
      report.accept(publication.publish(fresh.selector(), key));
      report.accept(visibility.await(owner, key.record().text()));
    } catch (KeyAdminException e) {
      throw new KeyAdminException(e.getMessage() + unfinished, e);
    }
    directory.setActive(fresh, true);
    report.accept("activated " + fresh.selector());
    Instant now = clock.instant();
    Instant until = now.plus(request.retireAfter());
    List<Retired> retired = new ArrayList<>();
    for (KeyEntry old : before) {
      if (old.dn().equals(fresh.dn()) || old.keyType() != key.type() || !old.signsAt(now)) {
        continue;
      }
      Instant end = old.notAfter().filter(t -> t.isBefore(until)).orElse(until);
      directory.setNotAfter(old, end);
      retired.add(new Retired(old, end));
      report.accept("retiring " + old.selector() + ": signs until " + end + " (" + old.dn() + ")");
    }
    if (retired.isEmpty()) {
      report.accept("no previously signing " + key.algorithm() + " key to retire");
    }
    return new Result(directory.find(domain, fresh.selector()).orElse(fresh), retired);
  }

  private static NewKey parse(String dkimKey, KeyEntry entry) throws KeyAdminException {
    try {
      return NewKey.existing(dkimKey);
    } catch (GeneralSecurityException e) {
      throw new KeyAdminException(entry.dn() + ": DKIMKey is no usable key: " + e.getMessage());
    }
  }

  private static String freeSelector(List<KeyEntry> taken, KeyType type, Instant now) {
    List<String> candidates =
        DkimNames.defaultSelectors(type, ZonedDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
    for (String c : candidates) {
      if (taken.stream().noneMatch(e -> e.selector().equalsIgnoreCase(c))) {
        return c;
      }
    }
    return candidates.get(candidates.size() - 1);
  }

  /** The first default selector the domain does not use yet (also for {@code keys add}). */
  public static String freeSelector(
      KeyDirectory directory, String domain, KeyType type, Clock clock) throws KeyAdminException {
    return freeSelector(directory.list(Optional.of(domain)), type, clock.instant());
  }
}
