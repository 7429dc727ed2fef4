using Acme.Tests.Support.Certificates;
using Acme.Validation.Linting;
using Acme.Validation.Profiles;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using static Acme.Tests.Support.Certificates.BrokenCertificateFactory;

namespace Acme.Tests.Validation.Linting;

/// <summary>The table of broken certificates: at least one per rule of <see cref="SbrLinter.CreateDefault"/>.</summary>
public static class BrokenCertificateCases
{
    private const string Strict = "2.23.140.1.5.1.3";
    private static readonly CertificateProfile S = CertificateProfiles.MailboxStrict;
    private static readonly CertificateProfile M = CertificateProfiles.MailboxMultipurpose;
    private static readonly DerObjectIdentifier Upn = new("1.3.6.1.4.1.311.20.2.3");

    /// <summary>Every case.</summary>
    public static IReadOnlyList<BrokenCase> All { get; } =
    [
        E("cabf.smime.certificate_policies_extension_missing", "no certificatePolicies", (r, _) => r.Remove(X509Extensions.CertificatePolicies)),
        W("cabf.critical_certificate_policies_extension", "critical certificatePolicies", (r, _) => r.Critical(X509Extensions.CertificatePolicies, true)),
        E("cabf.smime.multiple_reserved_policy_oids", "strict and multipurpose OIDs", (r, _) => SetPolicies(r, Policy(Strict), Policy("2.23.140.1.5.1.2"))),
        E("cabf.smime.no_required_reserved_policy_oid", "multipurpose OID under the strict profile", (r, _) => SetPolicies(r, Policy("2.23.140.1.5.1.2"))),
        E("cabf.smime.legacy_generation_certificate_issued_after_prohibition", "legacy OID", (r, _) => SetPolicies(r, Policy("2.23.140.1.5.1.1"))),
        E("cabf.smime.anypolicy_present", "anyPolicy added", (r, _) => SetPolicies(r, Policy(Strict), Policy("2.5.29.32.0"))),
        E("cabf.smime.cps_uri_is_not_http", "ldap CPS", (r, _) => SetPolicies(r,
            new PolicyInformation(new DerObjectIdentifier(Strict), new DerSequence(new PolicyQualifierInfo("ldap://ca.example.test/cps"))))),
        E("cabf.smime.usernotice_has_noticeref", "userNotice with noticeRef", (r, _) => SetPolicies(r,
            new PolicyInformation(new DerObjectIdentifier(Strict), new DerSequence(new PolicyQualifierInfo(PolicyQualifierID.IdQtUnotice,
                new DerSequence(new DerSequence(new DerUtf8String("Example CA"), new DerSequence(DerInteger.ValueOf(1))), new DerUtf8String("notice"))))))),
        E("cabf.crldp_extension_missing", "no cRLDistributionPoints", (r, _) => r.Remove(X509Extensions.CrlDistributionPoints)),
        W("cabf.smime.critical_crldp_extension", "critical cRLDistributionPoints", (r, _) => r.Critical(X509Extensions.CrlDistributionPoints, true)),
        E("cabf.smime.crldp_fullname_prohibited_uri_scheme", "https CRL URI beside http", (r, _) => r.Set(X509Extensions.CrlDistributionPoints, false,
            CrlDp(Uri("http://ca.example.test/1.crl"), Uri("https://ca.example.test/1.crl")))),
        E("cabf.smime.crldp_fullname_prohibited_generalname_type", "dNSName in CRL fullName", (r, _) => r.Set(X509Extensions.CrlDistributionPoints, false,
            CrlDp(Uri("http://ca.example.test/1.crl"), new GeneralName(GeneralName.DnsName, "ca.example.test")))),
        E("cabf.no_http_crldp_uri", "CRL DP with cRLIssuer only", (r, _) => r.Set(X509Extensions.CrlDistributionPoints, false,
            new CrlDistPoint([new DistributionPoint(null, null, new GeneralNames(new GeneralName(new X509Name("CN=CRL Issuer"))))]))),
        // pkilint cabf.internal_domain_name / cabf.internal_ip_address: URLs relying parties cannot reach (issue 12).
        E("cabf.internal_domain_name", "CRL on localhost", (r, _) => r.Set(X509Extensions.CrlDistributionPoints, false, CrlDp(Uri("http://localhost:8080/crl/issuing.crl")))),
        E("cabf.internal_domain_name", "CRL under a private TLD", (r, _) => r.Set(X509Extensions.CrlDistributionPoints, false, CrlDp(Uri("http://pki.corp/issuing.crl")))),
        E("cabf.internal_domain_name", "caIssuers under .test", (r, _) => r.Set(X509Extensions.AuthorityInfoAccess, false,
            new AuthorityInformationAccess(new AccessDescription(AccessDescription.IdADCAIssuers, Uri("http://ca.example.test/ca.cer"))))),
        E("cabf.internal_ip_address", "CRL on 127.0.0.1", (r, _) => r.Set(X509Extensions.CrlDistributionPoints, false, CrlDp(Uri("http://127.0.0.1:8080/crl/issuing.crl")))),
        E("cabf.internal_ip_address", "caIssuers on a private address", (r, _) => r.Set(X509Extensions.AuthorityInfoAccess, false,
            new AuthorityInformationAccess(new AccessDescription(AccessDescription.IdADCAIssuers, Uri("http://10.1.2.3/ca.cer"))))),
        W("cabf.aia_extension_missing", "no AIA", (r, _) => r.Remove(X509Extensions.AuthorityInfoAccess)),
        E("pkix.authority_information_access_extension_critical", "critical AIA", (r, _) => r.Critical(X509Extensions.AuthorityInfoAccess, true)),
        W("cabf.aia_ca_issuers_missing", "AIA with OCSP only", (r, _) => r.Set(X509Extensions.AuthorityInfoAccess, false,
            new AuthorityInformationAccess(new AccessDescription(AccessDescription.IdADOcsp, Uri("http://ocsp.example.test"))))),
        E("cabf.smime.aia_prohibited_uri_scheme", "https caIssuers", (r, _) => r.Set(X509Extensions.AuthorityInfoAccess, false,
            new AuthorityInformationAccess(new AccessDescription(AccessDescription.IdADCAIssuers, Uri("https://ca.example.test/ca.cer"))))),
        E("cabf.smime.aia_prohibited_uri_scheme", "ldap OCSP", (r, _) => r.Set(X509Extensions.AuthorityInfoAccess, false,
            AuthorityInformationAccess.GetInstance(new DerSequence(
                new AccessDescription(AccessDescription.IdADCAIssuers, Uri("http://ca.example.test/ca.cer")),
                new AccessDescription(AccessDescription.IdADOcsp, Uri("ldap://ocsp.example.test")))))),
        E("cabf.smime.is_ca_certificate", "cA true", (r, _) => r.Set(X509Extensions.BasicConstraints, true, new BasicConstraints(true))),
        E("pkix.basic_constraints.has_pathlen_for_non_ca", "pathLen without cA", (r, _) => r.Set(X509Extensions.BasicConstraints, true, new DerSequence(DerInteger.ValueOf(0)))),
        E("cabf.smime.key_usage_extension_missing", "no keyUsage", (r, _) => r.Remove(X509Extensions.KeyUsage)),
        W("cabf.smime.ku_extension_not_critical", "non-critical keyUsage", (r, _) => r.Critical(X509Extensions.KeyUsage, false)),
        E("cabf.smime.prohibited_ku_present", "RSA strict with dataEncipherment", (r, _) => Ku(r, KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment | KeyUsage.DataEncipherment), "rsa2048"),
        E("cabf.smime.prohibited_ku_present", "EC with keyEncipherment", (r, _) => Ku(r, KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment)),
        E("cabf.smime.prohibited_ku_present", "Ed25519 with keyAgreement", (r, _) => Ku(r, KeyUsage.DigitalSignature | KeyUsage.KeyAgreement), "ed25519"),
        E("cabf.smime.unknown_certificate_key_usage_type", "EC nonRepudiation only", (r, _) => Ku(r, KeyUsage.NonRepudiation)),
        E("cabf.smime.unknown_certificate_key_usage_type", "EC encipherOnly and decipherOnly", (r, _) => Ku(r, KeyUsage.KeyAgreement | KeyUsage.EncipherOnly | KeyUsage.DecipherOnly)),
        E("cabf.smime.unknown_certificate_key_usage_type", "RSA multipurpose dataEncipherment alone", (r, _) => Ku(r, KeyUsage.DataEncipherment), "rsa2048", M),
        E("pkix.ee_certificate_keycertsign_keyusage_set", "keyCertSign", (r, _) => Ku(r, KeyUsage.DigitalSignature | KeyUsage.KeyCertSign)),
        E("cabf.smime.extended_key_usage_extension_missing", "no extKeyUsage", (r, _) => r.Remove(X509Extensions.ExtendedKeyUsage)),
        E("cabf.smime.emailprotection_eku_missing", "clientAuth only", (r, _) => r.Set(X509Extensions.ExtendedKeyUsage, false, Eku("1.3.6.1.5.5.7.3.2")), profile: M),
        E("cabf.smime.prohibited_eku_present", "strict with clientAuth", (r, _) => r.Set(X509Extensions.ExtendedKeyUsage, false, Eku("1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.2"))),
        E("cabf.smime.prohibited_eku_present", "multipurpose with serverAuth", (r, _) => r.Set(X509Extensions.ExtendedKeyUsage, false, Eku("1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.1")), profile: M),
        E("cabf.smime.prohibited_eku_present", "multipurpose with anyExtendedKeyUsage", (r, _) => r.Set(X509Extensions.ExtendedKeyUsage, false, Eku("1.3.6.1.5.5.7.3.4", "2.5.29.37.0")), profile: M),
        E("pkix.authority_key_identifier_extension_absent", "no AKI", (r, _) => r.Remove(X509Extensions.AuthorityKeyIdentifier)),
        E("pkix.authority_key_identifier_critical", "critical AKI", (r, _) => r.Critical(X509Extensions.AuthorityKeyIdentifier, true)),
        E("pkix.authority_key_identifier_keyid_missing", "AKI with issuer and serial only", (r, f) => r.Set(X509Extensions.AuthorityKeyIdentifier, false,
            new AuthorityKeyIdentifier(new GeneralNames(new GeneralName(f.Ca.Certificate.IssuerDN)), f.Ca.Certificate.SerialNumber))),
        E("cabf.authority_key_identifier_has_issuer_cert", "AKI with keyId, issuer and serial", (r, f) => r.Set(X509Extensions.AuthorityKeyIdentifier, false,
            new AuthorityKeyIdentifier(f.Ca.SubjectKeyIdentifier, new GeneralNames(new GeneralName(f.Ca.Certificate.IssuerDN)), f.Ca.Certificate.SerialNumber))),
        E("acme.authority_key_identifier_mismatch", "AKI of another key", (r, _) => r.Set(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(new byte[20]))),
        W("pkix.certificate_skid_end_entity_missing", "no SKI", (r, _) => r.Remove(X509Extensions.SubjectKeyIdentifier)),
        E("pkix.certificate_skid_extension_critical", "critical SKI", (r, _) => r.Critical(X509Extensions.SubjectKeyIdentifier, true)),
        E("cabf.smime.san_extension_missing", "no SAN", (r, _) => r.Remove(X509Extensions.SubjectAlternativeName)),
        E("pkix.san_extension_not_critical", "empty subject, non-critical SAN", (r, _) => r.Subject = X509Name.GetInstance(DerSequence.Empty)),
        W("pkix.san_extension_is_critical", "critical SAN with a subject", (r, _) => r.Critical(X509Extensions.SubjectAlternativeName, true)),
        E("cabf.smime.san_does_not_contain_email_address", "SAN with a UPN only", (r, _) => San(r, new GeneralName(GeneralName.OtherName, new OtherName(Upn, new DerUtf8String(Address))))),
        E("cabf.smime.prohibited_generalname_type_present", "dNSName in SAN", (r, _) => San(r, Rfc822(Address), new GeneralName(GeneralName.DnsName, "example.test"))),
        E("cabf.smime.prohibited_generalname_type_present", "directoryName in SAN", (r, _) => San(r, Rfc822(Address), new GeneralName(new X509Name("CN=alice")))),
        E("cabf.smime.prohibited_othername_type_present", "UPN otherName under strict", (r, _) => San(r, Rfc822(Address), new GeneralName(GeneralName.OtherName, new OtherName(Upn, new DerUtf8String(Address))))),
        E("pkix.smtp_utf8_mailbox_is_ascii_only", "ASCII address as SmtpUTF8Mailbox", (r, _) => San(r, SmtpUtf8(Address))),
        E("pkix.smtp_utf8_mailbox_has_bom", "SmtpUTF8Mailbox with a BOM", (r, _) => San(r, Rfc822(Address), SmtpUtf8("\uFEFFjosé@example.test"))),
        E("pkix.invalid_email_address_syntax", "non-ASCII rfc822Name", (r, _) => San(r, Rfc822(Address), RawRfc822("josé@example.test"))),
        E("pkix.invalid_email_address_syntax", "rfc822Name without @", (r, _) => San(r, Rfc822(Address), Rfc822("alice.example.test"))),
        E("acme.san_mailbox_domain_not_lowercase_a_label", "upper-case domain", (r, _) => San(r, Rfc822(Address), Rfc822("alice@Example.test"))),
        E("acme.san_mailbox_domain_not_lowercase_a_label", "U-label domain in SmtpUTF8Mailbox", (r, _) => San(r, Rfc822(Address), SmtpUtf8("josé@bücher.example"))),
        E("acme.san_mailbox_not_validated", "unvalidated second mailbox", (r, _) => San(r, Rfc822(Address), Rfc822("bob@example.test"))),
        E("cabf.smime.prohibited_attribute", "O in subject", (r, _) => r.Subject = new X509Name([X509Name.CN, X509Name.O], [Address, "Example"])),
        E("cabf.smime.common_name_value_unknown_source", "CN not in SAN", (r, _) => r.Subject = new X509Name([X509Name.CN], ["bob@example.test"])),
        E("cabf.smime.email_address_in_attribute_not_in_san", "emailAddress not in SAN", (r, _) => r.Subject = new X509Name([X509Name.CN, X509Name.EmailAddress], [Address, "bob@example.test"])),
        E("e_single_email_subject_if_present", "two emailAddress attributes", (r, _) => r.Subject = new X509Name([X509Name.EmailAddress, X509Name.EmailAddress], [Address, Address])),
        E("e_subject_common_name_max_length", "65-character CN", (r, _) => r.Subject = RawName(X509Name.CN, new string('a', 52) + "@example.test")),
        E("cabf.insignificant_attribute_value_present", "serialNumber '-'", (r, _) => r.Subject = new X509Name([X509Name.CN, X509Name.SerialNumber], [Address, "-"])),
        E("cabf.smime.subject_directory_attributes_extension_prohibited", "subjectDirectoryAttributes", (r, _) => r.Set(new DerObjectIdentifier("2.5.29.9"), false,
            new DerSequence(new DerSequence(new DerObjectIdentifier("2.5.4.12"), new DerSet(new DerUtf8String("x")))))),
        E("cabf.smime.lei_extension_prohibited", "LEI extension", (r, _) => r.Set(new DerObjectIdentifier("1.3.6.1.4.1.52266.1"), false, new DerPrintableString("529900T8BM49AURSDO55"))),
        E("cabf.smime.lei_role_extension_prohibited", "LEI role extension", (r, _) => r.Set(new DerObjectIdentifier("1.3.6.1.4.1.52266.2"), false, new DerPrintableString("Director"))),
        E("cabf.smime.adobe_timestamp_extension_prohibited", "Adobe timestamp under strict", (r, _) => r.Set(new DerObjectIdentifier("1.2.840.113583.1.1.9.1"), false,
            new DerSequence(DerInteger.ValueOf(1), Uri("http://tsa.example.test")))),
        E("cabf.smime.adobe_archive_revinfo_extension_prohibited", "Adobe archiveRevInfo under strict", (r, _) => r.Set(new DerObjectIdentifier("1.2.840.113583.1.1.9.2"), false,
            new DerSequence(DerInteger.ValueOf(1)))),
        W("acme.extension_not_in_profile", "private extension", (r, _) => r.Set(new DerObjectIdentifier("1.3.6.1.4.1.99999.1"), false, DerNull.Instance)),
        E("cabf.smime.certificate_validity_period_exceeds_825_days", "825 days plus one second", (r, _) => r.NotAfter = r.NotBefore.AddDays(825)),
        W("cabf.smime.certificate_validity_period_at_maximum", "exactly 825 days", (r, _) => r.NotAfter = r.NotBefore.AddDays(825).AddSeconds(-1)),
        E("pkix.certificate_negative_validity_period", "notAfter before notBefore", (r, _) => r.NotAfter = r.NotBefore.AddDays(-1)),
        E("pkix.certificate_serial_number_out_of_range", "serial 2^159", (r, _) => r.Serial = BigInteger.One.ShiftLeft(159)),
        W("w_serial_number_low_entropy", "serial 12345", (r, _) => r.Serial = BigInteger.ValueOf(12345)),
        E("acme.issuer_dn_not_byte_identical", "another issuer DN", (r, _) => r.Issuer = new X509Name("CN=Other CA")),
        E("acme.issuer_dn_not_byte_identical", "same DN text, PrintableString instead of UTF8String", (r, f) => r.Issuer = Reencoded(f.Ca.Certificate.SubjectDN)),
        E("pkix.certificate_version_is_not_v3", "version 1", (r, _) => r.Version1 = true),
        E("cabf.rsa_modulus_invalid_length", "2052-bit modulus", (_, _) => { }, "rsa2052"),
        E("cabf.rsa_modulus_invalid_length", "1024-bit modulus", (_, _) => { }, "rsa1024"),
        E("cabf.rsa_exponent_prohibited_value", "even exponent", (r, _) => r.PublicKeyInfo = RsaInfo(r, BigInteger.ValueOf(65536)), "rsa2048"),
        W("cabf.rsa_exponent_not_in_recommended_range", "exponent 3", (_, _) => { }, "rsa-e3"),
        E("cabf.smime.unsupported_public_key_type", "secp256k1 key", (_, _) => { }, "secp256k1"),
        E("cabf.smime.unsupported_public_key_type", "DSA key", (r, _) => r.Remove(X509Extensions.KeyUsage), "dsa"),
        E("cabf.smime.prohibited_spki_algorithm_encoding", "rsaEncryption without NULL", (r, _) => r.PublicKeyInfo = new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(new DerObjectIdentifier("1.2.840.113549.1.1.1")), RsaStructure(r)), "rsa2048"),
        E("cabf.smime.prohibited_signature_algorithm_encoding", "ecdsa-with-SHA256 with NULL", (r, _) => r.SignatureAlgorithmLabel =
            new AlgorithmIdentifier(new DerObjectIdentifier("1.2.840.10045.4.3.2"), DerNull.Instance)),
        E("pkix.certificate_signature_algorithm_mismatch", "outer SHA-384, tbs SHA-256", (r, _) => r.OuterSignatureAlgorithm =
            new AlgorithmIdentifier(new DerObjectIdentifier("1.2.840.10045.4.3.3"))),
        E("acme.signature_algorithm_does_not_match_issuer_key", "RSA signature under an EC CA", (r, _) => r.Signer = (TestKeys.Get("rsa2048").Private, "SHA256WITHRSA")),
        E("acme.signature_algorithm_does_not_match_issuer_key", "ecdsa-with-SHA384 from a P-256 CA", (r, _) => r.SignatureAlgorithmLabel =
            new AlgorithmIdentifier(new DerObjectIdentifier("1.2.840.10045.4.3.3"))),
    ];

    private static BrokenCase E(string code, string defect, Action<CertificateRecipe, BrokenCertificateFactory> change, string key = "p256", CertificateProfile? profile = null) =>
        new(code, LintSeverity.Error, defect, key, profile ?? S, change);

    private static BrokenCase W(string code, string defect, Action<CertificateRecipe, BrokenCertificateFactory> change, string key = "p256", CertificateProfile? profile = null) =>
        new(code, LintSeverity.Warning, defect, key, profile ?? S, change);

    private static PolicyInformation Policy(string oid) => new(new DerObjectIdentifier(oid));

    private static void SetPolicies(CertificateRecipe r, params PolicyInformation[] policies) =>
        r.Set(X509Extensions.CertificatePolicies, false, Policies(policies));

    private static void Ku(CertificateRecipe r, int bits) => r.Set(X509Extensions.KeyUsage, true, new KeyUsage(bits));

    private static void San(CertificateRecipe r, params GeneralName[] names) =>
        r.Set(X509Extensions.SubjectAlternativeName, false, new GeneralNames(names));

    private static GeneralName Rfc822(string address) => new(GeneralName.Rfc822Name, address);

    /// <summary>An rfc822Name whose IA5String holds the UTF-8 bytes as they are (BouncyCastle would turn them into '?').</summary>
    private static GeneralName RawRfc822(string address)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(address);
        return GeneralName.GetInstance(Asn1Object.FromByteArray([0x81, (byte)bytes.Length, .. bytes]));
    }

    /// <summary>A one-attribute DN built without BouncyCastle's upper-bound checks.</summary>
    private static X509Name RawName(DerObjectIdentifier type, string value) =>
        X509Name.GetInstance(new DerSequence(new DerSet(new DerSequence(type, new DerUtf8String(value)))));

    private static GeneralName SmtpUtf8(string address) =>
        new(GeneralName.OtherName, new OtherName(new DerObjectIdentifier("1.3.6.1.5.5.7.8.9"), new DerUtf8String(address)));

    private static RsaPublicKeyStructure RsaStructure(CertificateRecipe r)
    {
        var key = (RsaKeyParameters)r.Key.Public;
        return new RsaPublicKeyStructure(key.Modulus, key.Exponent);
    }

    private static SubjectPublicKeyInfo RsaInfo(CertificateRecipe r, BigInteger exponent) => new(
        new AlgorithmIdentifier(new DerObjectIdentifier("1.2.840.113549.1.1.1"), DerNull.Instance),
        new RsaPublicKeyStructure(((RsaKeyParameters)r.Key.Public).Modulus, exponent));

    private static X509Name Reencoded(X509Name name) => X509Name.GetInstance(new DerSequence(
        name.GetOidList().Zip(name.GetValueList())
            .Select(a => (Asn1Encodable)new DerSet(new DerSequence(a.First, new DerPrintableString(a.Second))))
            .ToArray()));
}
