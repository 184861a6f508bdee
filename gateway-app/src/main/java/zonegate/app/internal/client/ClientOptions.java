package zonegate.app.internal.client;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import zonegate.wireguard.AeadChoice;

/**
 * How {@code zonegate client} runs.
 *
 * @param portal the portal's {@code ws://} or {@code wss://} URI
 * @param token the token file's secret
 * @param portalCa a PEM certificate to trust besides the system's
 * @param interfaceName the TUN device to create
 * @param dns whether to rewrite {@link #resolvConf} to point at the stub resolver
 * @param internetResource whether the Internet resource routes (when the portal lists one)
 * @param resolvConf the resolver file ({@value ResolvConf#DEFAULT_PATH}; tests use another)
 * @param resolvConfBackup where its original is kept while the client runs
 * @param aead WireGuard's transport AEAD
 * @param tunOffload whether the TUN device uses offloads (TSO/USO reads, coalesced TCP writes)
 */
public record ClientOptions(URI portal, String token, Optional<Path> portalCa, String interfaceName, DnsMode dns,
        boolean internetResource, Path resolvConf, Path resolvConfBackup, AeadChoice aead, boolean tunOffload) {
    /** {@code --dns}. */
    public enum DnsMode {
        /** Rewrite resolv.conf while running. */
        RESOLV_CONF,
        /** Leave the host's DNS alone. */
        NONE
    }

    public ClientOptions {
        Objects.requireNonNull(portal, "portal");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(portalCa, "portalCa");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(resolvConf, "resolvConf");
        Objects.requireNonNull(resolvConfBackup, "resolvConfBackup");
        Objects.requireNonNull(aead, "aead");
    }

    /** These options with the default resolver file and backup path. */
    public static ClientOptions of(URI portal, String token, Optional<Path> portalCa, String interfaceName,
            DnsMode dns, boolean internetResource) {
        return new ClientOptions(portal, token, portalCa, interfaceName, dns, internetResource,
                Path.of(ResolvConf.DEFAULT_PATH), Path.of(ResolvConf.DEFAULT_BACKUP), AeadChoice.AUTO, true);
    }

    /** These options with another transport AEAD. */
    public ClientOptions withAead(AeadChoice choice) {
        return new ClientOptions(portal, token, portalCa, interfaceName, dns, internetResource, resolvConf,
                resolvConfBackup, choice, tunOffload);
    }

    /** These options with TUN offloads on or off. */
    public ClientOptions withTunOffload(boolean on) {
        return new ClientOptions(portal, token, portalCa, interfaceName, dns, internetResource, resolvConf,
                resolvConfBackup, aead, on);
    }

    @Override
    public String toString() {
        return "ClientOptions[" + portal + ", token hidden, " + interfaceName + ", dns " + dns + ", internet "
                + internetResource + ", aead " + aead + ", tun offload " + tunOffload + "]";
    }
}
