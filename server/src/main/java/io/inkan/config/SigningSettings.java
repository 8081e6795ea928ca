package io.inkan.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What and how to sign. Either {@code Domain}/{@code Selector}/{@code KeyFile} (one key) or {@code
 * KeyTable}/{@code SigningTable}, and Inkan's {@code SigningDirectory} (LDAP URLs of a key tree:
 * every active key of the sender's domain signs); {@code signatureTtl} empty means no {@code x=}
 * tag. An empty header list means OpenDKIM's default (RFC 6376 §5.4).
 */
public record SigningSettings(
    Optional<DataSetRef> domain,
    Optional<String> selector,
    Optional<Path> keyFile,
    Optional<DataSetRef> keyTable,
    Optional<DataSetRef> signingTable,
    boolean subDomains,
    CanonicalizationSetting canonicalization,
    SigningAlgorithm algorithm,
    Optional<HeaderList> signHeaders,
    Optional<HeaderList> omitHeaders,
    Optional<HeaderList> oversignHeaders,
    Optional<HeaderList> senderHeaders,
    OptionalInt signatureTtl,
    boolean multipleSignatures,
    boolean removeOldSignatures,
    Optional<DataSetRef> dontSignMailTo,
    boolean resignAll,
    Optional<DataSetRef> resignMailTo,
    boolean requireSafeKeys,
    Optional<DataSetRef> signingDirectory) {}
