namespace Acme.Validation.Caa;

/// <summary>Judges a Relevant RRset against our policy (RFC 9495 §4, RFC 8659 §4.1).</summary>
internal static class IssueMailRules
{
    /// <summary>The property tag for S/MIME issuance (RFC 9495 §3).</summary>
    public const string IssueMailTag = "issuemail";

    private static readonly HashSet<string> KnownTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "issue", "issuewild", "iodef", IssueMailTag, "contactemail", "contactphone",
    };

    /// <summary>True when a property with this tag is one we understand (for the critical flag).</summary>
    public static bool IsKnownTag(string tag) => KnownTags.Contains(tag);

    /// <summary>True when the property is an <c>issuemail</c> property (tags are case-insensitive).</summary>
    public static bool IsIssueMail(CaaProperty property) =>
        string.Equals(property.Tag, IssueMailTag, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Null when <paramref name="property"/> (an <c>issuemail</c> property) authorizes us for a
    /// request by <paramref name="accountUri"/>; otherwise why it does not.
    /// </summary>
    public static string? WhyNotAuthorized(CaaProperty property, CaaPolicy policy, string? accountUri)
    {
        var value = IssueMailValue.Parse(property.Value);

        // RFC 9495 §5.5: a malformed value is treated as an empty issuer-domain-name, which forbids.
        if (value is null)
        {
            return "the value is malformed";
        }

        // RFC 9495 §5.2: an empty issuer-domain-name (for example ";") forbids issuance.
        if (value.IssuerDomainName is null)
        {
            return "it names no issuer";
        }

        // RFC 9495 §4: issue only if an issuemail property names one of our issuer domain names.
        if (!policy.IssuerDomains.Contains(value.IssuerDomainName, StringComparer.OrdinalIgnoreCase))
        {
            return $"it names {value.IssuerDomainName}";
        }

        foreach (var parameter in value.Parameters)
        {
            // RFC 8657 §3 (applied to issuemail): accounturi limits issuance to that ACME account.
            if (string.Equals(parameter.Tag, "accounturi", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(parameter.Value, accountUri, StringComparison.Ordinal))
            {
                return $"accounturi {parameter.Value} is not the requesting account";
            }

            // RFC 8657 §4 (applied to issuemail): validationmethods limits the validation methods.
            if (string.Equals(parameter.Tag, "validationmethods", StringComparison.OrdinalIgnoreCase)
                && !parameter.Value.Split(',').Contains(policy.ValidationMethod, StringComparer.Ordinal))
            {
                return $"validationmethods {parameter.Value} does not include {policy.ValidationMethod}";
            }

            // Other parameters are CA-defined (RFC 9495 defines none); ones we do not know are not restrictions on us.
        }

        return null;
    }
}
