namespace Acme.Server.Hosting.Commands;

/// <summary>One operator command group (<c>eab</c>, <c>revoke</c>, <c>accounts</c>, …), run against a prepared host.</summary>
public interface IOperatorCommand
{
    /// <summary>The first word on the command line.</summary>
    string Name { get; }

    /// <summary>One line for the list of commands.</summary>
    string Summary { get; }

    /// <summary>Runs the command with the words after its name; returns the process exit code.</summary>
    Task<int> RunAsync(CommandContext context, IReadOnlyList<string> args);
}
