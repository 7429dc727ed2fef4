namespace Acme.Server.Hosting.Commands;

/// <summary>What a command runs with: the server's services (same configuration and database) and the two output streams.</summary>
public sealed record CommandContext(IServiceProvider Services, TextWriter Output, TextWriter Error)
{
    /// <summary>Exit code: done.</summary>
    public const int Ok = 0;

    /// <summary>Exit code: understood, but not possible (unknown serial or account, refused, engine without backup).</summary>
    public const int Failed = 1;

    /// <summary>Exit code: bad input (unknown option, missing or malformed value).</summary>
    public const int Usage = 2;

    /// <summary>Who the audit trail names for this command's changes (SBR 5.4.1): the operator's login.</summary>
    public string Actor { get; init; } = "operator:" + Environment.UserName;

    /// <summary>Writes "<paramref name="command"/>: <paramref name="message"/>" and the usage to the error stream; returns <see cref="Usage"/>.</summary>
    public async Task<int> UsageErrorAsync(string command, string message, string usage)
    {
        await Error.WriteLineAsync($"{command}: {message}");
        await Error.WriteLineAsync(usage);
        return Usage;
    }

    /// <summary>Writes "<paramref name="command"/>: <paramref name="message"/>" to the error stream; returns <see cref="Failed"/>.</summary>
    public async Task<int> FailAsync(string command, string message)
    {
        await Error.WriteLineAsync($"{command}: {message}");
        return Failed;
    }
}
