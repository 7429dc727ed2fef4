namespace Acme.Server.Workflows;

/// <summary>The outcome of an operator action on an account.</summary>
public enum AccountActionResult
{
    Done,
    UnknownAccount,

    /// <summary>Nothing to do: already suspended (suspend), not suspended (resume), or no longer valid (deactivate).</summary>
    NoChange,
}
