using Microsoft.Extensions.Options;

namespace Acme.Server.Hosting;

/// <summary>Start-up checks of section <c>Caa</c>.</summary>
public sealed class CaaOptionsValidator : IValidateOptions<CaaOptions>
{
    public ValidateOptionsResult Validate(string? name, CaaOptions o)
    {
        var errors = new List<string>();
        for (var i = 0; i < o.IssuerDomains.Count; i++)
        {
            var domain = o.IssuerDomains[i];
            // RFC 8659 §4.2: the issuer domain name is a domain name, compared case-insensitively.
            if (string.IsNullOrWhiteSpace(domain) || domain.Any(c => char.IsWhiteSpace(c) || c is '@' or ';' or '/' or ':')
                || domain.Trim().TrimEnd('.').Split('.').Any(l => l.Length is 0 or > 63))
            {
                errors.Add($"Caa:IssuerDomains:{i} '{domain}' is not a domain name");
            }
        }

        // SBR 4.2.2.1: a check may be relied on for max(TTL, 8 hours), so no answer is reused longer than 8 hours.
        if (o.LookupReuse < TimeSpan.Zero || o.LookupReuse > Acme.Validation.Caa.ReusingCaaLookup.MaxReuse)
        {
            errors.Add($"Caa:LookupReuse {o.LookupReuse} must be between 00:00:00 (never reuse) and 08:00:00");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
