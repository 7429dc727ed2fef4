using Microsoft.Extensions.Options;

namespace Acme.Server.Observability;

/// <summary>Start-up checks of the <c>Metrics</c> and <c>Health</c> sections; every message names its setting.</summary>
public sealed class ObservabilityOptionsValidator : IValidateOptions<MetricsOptions>, IValidateOptions<HealthOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        if (options.BearerTokenFile is not { } path)
        {
            return ValidateOptionsResult.Success;
        }

        if (!File.Exists(path))
        {
            return ValidateOptionsResult.Fail($"Metrics:BearerTokenFile: {path} does not exist");
        }

        return string.IsNullOrWhiteSpace(MetricsToken.Read(path))
            ? ValidateOptionsResult.Fail($"Metrics:BearerTokenFile: {path} is empty; put the token in it, or remove the setting to leave /metrics open")
            : ValidateOptionsResult.Success;
    }

    public ValidateOptionsResult Validate(string? name, HealthOptions options)
    {
        var failures = new List<string>();
        if (options.MaxQueuedMailAge < TimeSpan.FromMinutes(1) || options.MaxQueuedMailAge > TimeSpan.FromDays(2))
        {
            failures.Add($"Health:MaxQueuedMailAge is {options.MaxQueuedMailAge}; it must be between 00:01:00 and 2.00:00:00");
        }

        if (options.CheckTimeout < TimeSpan.FromMilliseconds(100) || options.CheckTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"Health:CheckTimeout is {options.CheckTimeout}; it must be between 00:00:00.1 and 00:01:00");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
