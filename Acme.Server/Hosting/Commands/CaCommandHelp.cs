namespace Acme.Server.Hosting.Commands;

/// <summary>The <c>--help</c> texts of the CA commands.</summary>
internal static class CaCommandHelp
{
    private const string KeyPlacement = """
          Where the new key goes (default: a PEM file in --out, owner-only):
            --key-type TYPE           ec-p256, ec-p384, rsa-3072 or rsa-4096
            --passphrase-file FILE    encrypt the key file (PKCS#8, AES-256) with this file's first line
          or generated inside a PKCS#11 token (it never leaves it):
            --pkcs11-library PATH     the PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so
            --token-label LABEL       the token
            --key-label LABEL         the label for the new key (must be unused)
            --pin-file FILE           the user PIN (first line)
        """;

    public const string Overview = """
        Usage: Acme.Server ca <command> [options]

        Commands:
          init-root      create an offline root CA (SBR 7.1.2.1)
          init-issuing   create the issuing CA this server signs with (SBR 7.1.2.2), signed by the root

        Run `ca <command> --help` for its options. Exit codes: 0 done, 2 bad input, 1 other failure.
        """;

    public const string InitRoot = "Usage: Acme.Server ca init-root --out DIR --subject DN [--days N] [key options]\n\n" + """
        Creates DIR/root.pem (self-signed: basicConstraints cA, keyUsage keyCertSign+cRLSign, SKI/AKI) and its key.
          --out DIR                 directory for root.pem (and root.key); existing files are never overwritten
          --subject DN              e.g. "CN=Example S/MIME Root R1, O=Example Ltd, C=DE"
          --days N                  validity in days (default 7300)

        """ + KeyPlacement;

    public const string InitIssuing = "Usage: Acme.Server ca init-issuing --out DIR --subject DN --root-cert FILE (--root-key FILE | --root-key-label LABEL)\n"
        + "                                   --crl-url URL --ca-issuers-url URL [--days N] [key options]\n\n" + """
        Creates DIR/issuing.pem, a technically-constrained S/MIME subordinate CA: certificatePolicies (Mailbox-validated
        Multipurpose and Strict), cRLDistributionPoints, authorityInformationAccess, basicConstraints cA pathLen 0,
        keyUsage keyCertSign+cRLSign, extendedKeyUsage emailProtection, AKI/SKI. Prints the server settings.
          --out DIR                 directory for issuing.pem (and issuing.key)
          --subject DN              e.g. "CN=Example S/MIME Issuing CA 1, O=Example Ltd, C=DE"
          --days N                  validity in days (default 1825), within the root's
          --root-cert FILE          the root certificate (PEM)
          --crl-url URL             http:// URL where the root's CRL is published
          --ca-issuers-url URL      http:// URL where the root certificate is published
        The root key, either a file:
          --root-key FILE           the root's PEM key
          --root-passphrase-file F  its passphrase, when encrypted
        or in a token (same --pkcs11-library):
          --root-key-label LABEL    the root key's label
          --root-token-label LABEL  its token (default: --token-label)
          --root-pin-file FILE      that token's PIN (default: --pin-file)

        """ + KeyPlacement;
}
