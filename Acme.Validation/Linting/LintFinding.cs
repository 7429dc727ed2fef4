namespace Acme.Validation.Linting;

/// <summary>One problem a lint rule found in a certificate.</summary>
/// <param name="Code">The rule's code (the pkilint or zlint finding name where one exists).</param>
/// <param name="Severity">How serious the problem is.</param>
/// <param name="Message">A human description naming the offending value.</param>
public sealed record LintFinding(string Code, LintSeverity Severity, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Severity.ToString().ToUpperInvariant()} {Code}: {Message}";
}
