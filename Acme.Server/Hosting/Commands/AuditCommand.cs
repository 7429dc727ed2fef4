using System.Globalization;
using Acme.Server.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Server.Hosting.Commands;

/// <summary><c>audit --serial HEX [--evidence DIR]</c> and <c>audit purge [--retention-days N]</c> (SBR 5.4.1, 5.5.2).</summary>
public sealed class AuditCommand : IOperatorCommand
{
    private const string UsageText = """
        usage: audit --serial HEX [--evidence DIR]     the evidence behind one certificate; DIR receives the mails
               audit purge [--retention-days N]        remove evidence N days (default and minimum 730) past its last reliance
        """;

    public string Name => "audit";

    public string Summary => "the evidence behind a certificate; purge past retention";

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> args)
    {
        var line = CommandLine.Parse(args, ["--serial", "--evidence", "--retention-days"], [], out var problem);
        if (line is null)
        {
            return await context.UsageErrorAsync("audit", problem!, UsageText);
        }

        if (line.Help)
        {
            await context.Output.WriteAsync(UsageText);
            return CommandContext.Ok;
        }

        if (line.Positionals is ["purge"])
        {
            return await PurgeAsync(context, line.Value("--retention-days") ?? "730");
        }

        if (line.Positionals.Count > 0 || line.Value("--serial") is not { } serialText)
        {
            return await context.UsageErrorAsync("audit", "expected --serial HEX or 'purge'", UsageText);
        }

        if (!CommandValues.TryParseSerial(serialText, out var serial))
        {
            return await context.UsageErrorAsync("audit", $"--serial must be the serial number in hex, not '{serialText}'", UsageText);
        }

        var services = context.Services;
        var report = new AuditReport(services.GetRequiredService<Database>(), services.GetRequiredService<ICertificateStore>(),
            services.GetRequiredService<IOrderStore>(), services.GetRequiredService<IAuditStore>());
        return await report.WriteAsync(serial, line.Value("--evidence"), context.Output, context.Error, CancellationToken.None);
    }

    /// <summary>SBR 5.5.2: removes evidence kept longer than <c>--retention-days</c> (default 730, never less) past its last reliance.</summary>
    private static async Task<int> PurgeAsync(CommandContext context, string daysText)
    {
        if (!int.TryParse(daysText, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days < 730)
        {
            return await context.UsageErrorAsync("audit purge", $"--retention-days must be a whole number of at least 730 (SBR 5.5.2: two years), not '{daysText}'", UsageText);
        }

        var time = context.Services.GetRequiredService<TimeProvider>();
        var cutoff = time.GetUtcNow().AddDays(-days).ToUnixTimeMilliseconds();
        var audit = context.Services.GetRequiredService<IAuditStore>();
        var result = await context.Services.GetRequiredService<Database>().WriteAsync(async (c, tx) =>
        {
            var purged = await new RetentionPurge().PurgeAsync(c, tx, cutoff);
            await audit.AppendAsync(c, tx, new AuditEvent("audit.purged", "operator",
                $"retention {days} days: {purged.Events} events, {purged.ChallengeMails} challenge mails, {purged.Replies} replies removed"));
            return purged;
        }, CancellationToken.None);
        await context.Output.WriteLineAsync($"removed {result.Events} audit events, {result.ChallengeMails} challenge mails, {result.Replies} replies older than {days} days past their last reliance");
        return CommandContext.Ok;
    }
}
