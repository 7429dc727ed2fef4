using Acme.Server.Hosting.Commands;
using Microsoft.AspNetCore.Builder;

namespace Acme.Server.Hosting;

/// <summary>
/// Operator commands that run against the configured database instead of starting the server
/// (<c>dotnet run --project Acme.Server -- COMMAND …</c>; docs/operator-commands.md). This is only the
/// dispatcher: each command group is one class in <c>Hosting/Commands</c>. Commands that must run before
/// the host is built (no database yet) are dispatched in Program.cs ahead of this.
/// </summary>
public static class AdminCommands
{
    // Stateless command objects: an immutable table.
    private static readonly IOperatorCommand[] Commands =
    [
        new EabCommand(), new AuditCommand(), new CertificatesCommand(), new RevokeCommand(), new AccountsCommand(), new MailCommand(), new BackupCommand(),
    ];

    public static bool IsAdminCommand(string[] args) => args.Length > 0 && (args[0] == "help" || Commands.Any(c => c.Name == args[0]));

    /// <summary>Runs the command; returns the process exit code (0 ok, 1 not possible, 2 bad input).</summary>
    public static Task<int> RunAsync(WebApplication app, string[] args, TextWriter output, TextWriter error) =>
        RunAsync(app.Services, args, output, error);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        var context = new CommandContext(services, output, error);
        if (args.Length == 0 || args[0] == "help")
        {
            await output.WriteLineAsync("operator commands (each takes --help):");
            foreach (var command in Commands)
            {
                await output.WriteLineAsync($"  {command.Name,-14}{command.Summary}");
            }

            return CommandContext.Ok;
        }

        var chosen = Commands.FirstOrDefault(c => c.Name == args[0]);
        return chosen is null
            ? await context.UsageErrorAsync(args[0], "unknown command; run 'help' for the list", "")
            : await chosen.RunAsync(context, args[1..]);
    }
}
