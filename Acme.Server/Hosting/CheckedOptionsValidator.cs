using Microsoft.Extensions.Options;

namespace Acme.Server.Hosting;

/// <summary>
/// Start-up validation for option classes of the libraries (Dkim, Smtp, Imap, Issuance) that check
/// themselves with a <c>Validate()</c> method throwing a message that names the setting: the message
/// becomes the options failure, so every section fails start-up the same way.
/// </summary>
public sealed class CheckedOptionsValidator<TOptions>(Action<TOptions> check) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        try
        {
            check(options);
            return ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
