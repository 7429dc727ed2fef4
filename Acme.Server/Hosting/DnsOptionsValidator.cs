using Acme.Validation.Dns;
using Microsoft.Extensions.Options;

namespace Acme.Server.Hosting;

/// <summary>Start-up checks of section <c>Dns</c>: every <c>Servers</c> entry is <c>address:port</c>.</summary>
public sealed class DnsOptionsValidator : IValidateOptions<DnsOptions>
{
    public ValidateOptionsResult Validate(string? name, DnsOptions o)
    {
        var errors = new List<string>();
        for (var i = 0; i < o.Servers.Count; i++)
        {
            try
            {
                DnsServerList.ParseEntry(o.Servers[i]);
            }
            catch (ArgumentException e)
            {
                errors.Add($"Dns:Servers:{i}: {e.Message.Split(" (Parameter", 2)[0]}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
