using Acme.Server.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Server.Hosting.Commands;

/// <summary><c>backup --out FILE</c>: a consistent copy of the SQLite database, taken while the server runs.</summary>
public sealed class BackupCommand : IOperatorCommand
{
    private const string UsageText = """
        usage: backup --out FILE     copy the SQLite database to FILE (which must not exist) while the server runs
          With Storage:Provider=PostgreSql use the database's own tools (pg_dump) instead.
        """;

    public string Name => "backup";

    public string Summary => "a consistent copy of the SQLite database while the server runs";

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> args)
    {
        var line = CommandLine.Parse(args, ["--out"], [], out var problem);
        if (line is null)
        {
            return await context.UsageErrorAsync("backup", problem!, UsageText);
        }

        if (line.Help)
        {
            await context.Output.WriteAsync(UsageText);
            return CommandContext.Ok;
        }

        if (line.Positionals.Count > 0 || line.Value("--out") is not { } target)
        {
            return await context.UsageErrorAsync("backup", "--out FILE is required", UsageText);
        }

        var path = Path.GetFullPath(target);
        switch (await context.Services.GetRequiredService<DatabaseBackup>().CopyToAsync(path, CancellationToken.None))
        {
            case BackupResult.NotSupported:
                return await context.FailAsync("backup", "the database is PostgreSQL; back it up with pg_dump (e.g. pg_dump --format=custom --file=acme.dump DBNAME)");
            case BackupResult.TargetExists:
                return await context.FailAsync("backup", $"{path} exists; refusing to overwrite it");
            default:
                await context.Output.WriteLineAsync($"database copied to {path} ({new FileInfo(path).Length} bytes)");
                return CommandContext.Ok;
        }
    }
}
