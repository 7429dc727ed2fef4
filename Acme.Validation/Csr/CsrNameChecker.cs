using System.Text;
using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace Acme.Validation.Csr;

/// <summary>
/// Reads the subjectAltName request of a CSR and checks it names exactly the order's mailboxes
/// (RFC 8555 §7.4, RFC 8823 §3 step 8, RFC 9598 §3).
/// </summary>
internal static class CsrNameChecker
{
    /// <summary>id-on-SmtpUTF8Mailbox (RFC 9598 §3).</summary>
    public static readonly DerObjectIdentifier SmtpUtf8MailboxOid = new("1.3.6.1.5.5.7.8.9");

    public static ValidationOutcome<IReadOnlyList<NormalizedMailbox>> Check(
        X509Extensions? extensions, IReadOnlyCollection<NormalizedMailbox> orderMailboxes, CsrPolicy policy)
    {
        var san = extensions?.GetExtension(X509Extensions.SubjectAlternativeName);
        if (san is null)
        {
            // RFC 8823 §3 step 8: the addresses travel in a subjectAltName extension request.
            return Fail("the CSR requests no subjectAltName extension; each mailbox must appear there");
        }

        GeneralName[] names;
        try
        {
            names = GeneralNames.GetInstance(san.GetParsedValue()).GetNames();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or InvalidCastException or IOException)
        {
            return Fail("the CSR's subjectAltName extension request cannot be parsed");
        }

        var found = new List<NormalizedMailbox>();
        foreach (var name in names)
        {
            var read = ReadName(name, orderMailboxes, policy);
            if (!read.IsSuccess)
            {
                return read.Failure;
            }

            if (read.Value.Mailbox is { } mailbox)
            {
                if (found.Contains(mailbox))
                {
                    return Fail($"the CSR names the mailbox {mailbox.Address} more than once");
                }

                found.Add(mailbox);
            }
        }

        // RFC 8555 §7.4: the CSR names exactly the order's identifiers.
        var missing = orderMailboxes.Where(m => !found.Contains(m)).Select(m => m.Address).ToList();
        if (missing.Count > 0)
        {
            return Fail($"the CSR does not name the order's mailbox(es): {string.Join(", ", missing)}");
        }

        var extra = found.Where(m => !orderMailboxes.Contains(m)).Select(m => m.Address).ToList();
        if (extra.Count > 0)
        {
            return Fail($"the CSR names mailbox(es) that are not in the order: {string.Join(", ", extra)}");
        }

        return ValidationOutcome<IReadOnlyList<NormalizedMailbox>>.Success(found);
    }

    private static ValidationOutcome<NameRead> ReadName(
        GeneralName name, IReadOnlyCollection<NormalizedMailbox> orderMailboxes, CsrPolicy policy)
    {
        switch (name.TagNo)
        {
            case GeneralName.Rfc822Name:
                {
                    var ia5 = DerIA5String.GetInstance(name.Name);
                    var text = ia5.GetString();

                    // RFC 9598 §3: rfc822Name only for an ASCII local part.
                    if (ia5.GetOctets().Any(b => b > 0x7F) || !IsAscii(text))
                    {
                        text = Encoding.UTF8.GetString(ia5.GetOctets());
                        return Fail($"the rfc822Name '{text}' holds non-ASCII characters; a non-ASCII local part needs an SmtpUTF8Mailbox otherName (RFC 9598 §3)");
                    }

                    return Normalize(text, "rfc822Name");
                }

            case GeneralName.OtherName:
                return ReadOtherName(OtherName.GetInstance(name.Name));

            case GeneralName.DnsName when policy.TolerateDnsNamesEqualToMailboxes:
                {
                    var text = DerIA5String.GetInstance(name.Name).GetString();
                    var normalized = MailboxNormalizer.Normalize(text);
                    if (normalized.IsSuccess && orderMailboxes.Any(m =>
                            string.Equals(m.Address, normalized.Value.Address, StringComparison.OrdinalIgnoreCase)))
                    {
                        return ValidationOutcome<NameRead>.Success(new NameRead(null));
                    }

                    return Fail($"the CSR requests the dNSName '{text}'; only mailbox names (rfc822Name, SmtpUTF8Mailbox) are allowed");
                }

            default:
                // SBR §7.1.4.2.1: no other GeneralName types.
                return Fail($"the CSR requests a subjectAltName of type {Describe(name.TagNo)} ('{ValueText(name)}'); only rfc822Name and SmtpUTF8Mailbox are allowed");
        }
    }

    private static ValidationOutcome<NameRead> ReadOtherName(OtherName other)
    {
        if (!other.TypeID.Equals(SmtpUtf8MailboxOid))
        {
            return Fail($"the CSR requests an otherName of type {other.TypeID.Id}; only SmtpUTF8Mailbox (1.3.6.1.5.5.7.8.9) is allowed");
        }

        if (other.Value is not DerUtf8String utf8)
        {
            return Fail("the CSR's SmtpUTF8Mailbox value is not a UTF8String (RFC 9598 §3)");
        }

        var text = utf8.GetString();
        var at = text.LastIndexOf('@');
        var local = at < 0 ? text : text[..at];

        // RFC 9598 §3: SmtpUTF8Mailbox only when the local part is not ASCII.
        if (IsAscii(local))
        {
            return Fail($"the SmtpUTF8Mailbox '{text}' has an ASCII local part; it must be requested as an rfc822Name (RFC 9598 §3)");
        }

        return Normalize(text, "SmtpUTF8Mailbox");
    }

    private static ValidationOutcome<NameRead> Normalize(string text, string form)
    {
        var normalized = MailboxNormalizer.Normalize(text);
        return normalized.IsSuccess
            ? ValidationOutcome<NameRead>.Success(new NameRead(normalized.Value))
            : Fail($"the CSR's {form} '{text}' is not a valid mailbox: {normalized.Failure.Detail}");
    }

    // BouncyCastle's GeneralName.ToString() prefixes the tag number ("2: host"); show the value alone.
    private static string ValueText(GeneralName name) => name.Name is IAsn1String text ? text.GetString() : name.Name.ToString() ?? "";

    private static bool IsAscii(string text) => text.All(c => c <= 0x7F);

    private static string Describe(int tag) => tag switch
    {
        GeneralName.DnsName => "dNSName",
        GeneralName.X400Address => "x400Address",
        GeneralName.DirectoryName => "directoryName",
        GeneralName.EdiPartyName => "ediPartyName",
        GeneralName.UniformResourceIdentifier => "uniformResourceIdentifier",
        GeneralName.IPAddress => "iPAddress",
        GeneralName.RegisteredID => "registeredID",
        _ => tag.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static ValidationFailure Fail(string detail) => new(FailureKind.BadCsr, detail);

    /// <summary>One SAN entry: a mailbox, or null for an ignored (tolerated) entry.</summary>
    private sealed record NameRead(NormalizedMailbox? Mailbox);
}
