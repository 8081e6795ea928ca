package io.inkan.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How the daemon runs: {@code Mode}, {@code Socket}, {@code PidFile}, {@code UserID}, {@code
 * UMask}, {@code SoftwareHeader}, and Inkan's {@code MilterAllowedClients} (the MTA addresses
 * allowed to connect when {@code Socket} is bound to a non-loopback address).
 */
public record ServiceSettings(
    OperatingMode mode,
    Optional<SocketSpec> socket,
    Optional<Path> pidFile,
    Optional<UserId> userId,
    OptionalInt umask,
    boolean softwareHeader,
    Optional<DataSetRef> milterAllowedClients) {}
