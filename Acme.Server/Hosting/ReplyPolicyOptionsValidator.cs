using Acme.Validation.Dkim;
using Microsoft.Extensions.Options;

namespace Acme.Server.Hosting;

/// <summary>Start-up checks of section <c>Replies</c>.</summary>
public sealed class ReplyPolicyOptionsValidator : IValidateOptions<ReplyPolicyOptions>
{
    public const int RfcMinimumRsaKeyBits = 1024;

    public ValidateOptionsResult Validate(string? name, ReplyPolicyOptions o)
    {
        var errors = new List<string>();
        // RFC 8301 §3.2: verifiers MUST NOT consider signatures with RSA keys under 1024 bits valid.
        if (o.MinimumRsaKeyBits is < RfcMinimumRsaKeyBits or > 16384)
        {
            errors.Add($"Replies:MinimumRsaKeyBits is {o.MinimumRsaKeyBits}; it must be between {RfcMinimumRsaKeyBits} (RFC 8301 §3.2) and 16384");
        }

        if (!Enum.IsDefined(o.HeaderCoverage))
        {
            errors.Add($"Replies:HeaderCoverage is {o.HeaderCoverage}; it must be {string.Join(" or ", Enum.GetNames<DkimHeaderCoverage>())}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
