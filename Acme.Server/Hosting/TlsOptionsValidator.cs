using Microsoft.Extensions.Options;

namespace Acme.Server.Hosting;

/// <summary>Start-up checks of section <c>Tls</c>: both files or neither, and they exist.</summary>
public sealed class TlsOptionsValidator : IValidateOptions<TlsOptions>
{
    public ValidateOptionsResult Validate(string? name, TlsOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(o.CertificatePath) != string.IsNullOrEmpty(o.KeyPath))
        {
            errors.Add("Tls:CertificatePath and Tls:KeyPath go together: set both or neither");
        }

        foreach (var (path, setting) in new[] { (o.CertificatePath, "Tls:CertificatePath"), (o.KeyPath, "Tls:KeyPath") })
        {
            if (!string.IsNullOrEmpty(path) && !File.Exists(path))
            {
                errors.Add($"{setting}: the file '{path}' does not exist");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
