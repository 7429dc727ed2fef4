using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Acme.Server.Observability;

/// <summary>
/// Logging defaults that hold without appsettings.json (the server started from any folder), given as the
/// first, lowest configuration source so that appsettings, environment and command line still override
/// each key: Information, but ASP.NET Core's per-request lines at Warning; the console's timestamps in
/// ISO 8601 UTC; <c>Logging:Console:FormatterName=json</c> switches the console to one JSON object a line.
/// </summary>
public static class LogDefaults
{
    /// <summary>ISO 8601 UTC to the millisecond; the simple formatter's trailing space separates it from the level.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";

    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:Console:FormatterName"] = ConsoleFormatterNames.Simple,
        ["Logging:Console:FormatterOptions:TimestampFormat"] = TimestampFormat,
        ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
        ["Logging:Console:FormatterOptions:SingleLine"] = "true",
    };

    public static void Apply(WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Settings });
        builder.Logging.AddConsole();

        // The slim builder's AddSimpleConsole fixes the formatter name after configuration is bound; take it from configuration again.
        builder.Services.AddOptions<ConsoleLoggerOptions>().Configure<IConfiguration>((o, configuration) =>
            o.FormatterName = configuration["Logging:Console:FormatterName"] ?? ConsoleFormatterNames.Simple);

        // The formatters share one options section; a JSON value carries no separating space.
        builder.Services.PostConfigure<JsonConsoleFormatterOptions>(o => o.TimestampFormat = o.TimestampFormat?.TrimEnd());
    }
}
