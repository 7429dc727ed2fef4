using Microsoft.Extensions.Options;

namespace Acme.Server.Storage;

/// <summary>Start-up checks of the <c>Storage</c> section; each failure names the setting.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions o)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(o.Provider))
        {
            errors.Add($"Storage:Provider is {o.Provider}; it must be Sqlite or PostgreSql");
        }

        if (o.Provider == StorageProvider.Sqlite && string.IsNullOrWhiteSpace(o.DatabasePath))
        {
            errors.Add("Storage:DatabasePath must name the SQLite file");
        }

        if (o.BusyTimeoutMilliseconds is < 100 or > 600_000)
        {
            errors.Add($"Storage:BusyTimeoutMilliseconds is {o.BusyTimeoutMilliseconds}; it must be between 100 and 600000");
        }

        if (o.WriteAttempts is < 1 or > 100)
        {
            errors.Add($"Storage:WriteAttempts is {o.WriteAttempts}; it must be between 1 and 100");
        }

        if (o.Provider == StorageProvider.PostgreSql)
        {
            if (string.IsNullOrWhiteSpace(o.ConnectionStringFile))
            {
                errors.Add("Storage:ConnectionStringFile must name the file holding the PostgreSQL connection string (Storage:Provider is PostgreSql)");
            }
            else if (!File.Exists(o.ConnectionStringFile))
            {
                errors.Add($"Storage:ConnectionStringFile '{o.ConnectionStringFile}' does not exist");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
