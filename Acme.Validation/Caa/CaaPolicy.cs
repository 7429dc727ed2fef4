namespace Acme.Validation.Caa;

/// <summary>The CA's side of CAA <c>issuemail</c> checking (SBR 4.2.2.1; RFC 9495).</summary>
/// <param name="IssuerDomains">
/// Our Issuer Domain Names as listed in the CP/CPS (lower-case A-labels); an <c>issuemail</c>
/// property must name one of them (compared case-insensitively).
/// </param>
public sealed record CaaPolicy(IReadOnlyList<string> IssuerDomains)
{
    /// <summary>The default <see cref="ValidationMethod"/>: the RFC 8823 ACME challenge type.</summary>
    public const string DefaultValidationMethod = "email-reply-00";

    /// <summary>
    /// The name matched against a <c>validationmethods</c> parameter (in the spirit of RFC 8657
    /// §4, which uses ACME challenge type names); default <c>email-reply-00</c>.
    /// </summary>
    public string ValidationMethod { get; init; } = DefaultValidationMethod;

    /// <summary>
    /// Opt-in (default false): a CAA lookup failure may be treated as "no CAA records at that
    /// name" when all three SBR 4.2.2.1 conditions hold: the failure is outside our
    /// infrastructure, the lookup was retried once, and the domain is provably DNSSEC Insecure.
    /// </summary>
    public bool AllowInsecureLookupFailure { get; init; }
}
