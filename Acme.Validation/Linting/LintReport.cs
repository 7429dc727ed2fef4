namespace Acme.Validation.Linting;

/// <summary>The findings of one lint run.</summary>
/// <param name="Findings">Every finding, in rule order.</param>
public sealed record LintReport(IReadOnlyList<LintFinding> Findings)
{
    /// <summary>True when at least one finding is an <see cref="LintSeverity.Error"/>: the certificate must not be issued.</summary>
    public bool HasErrors => Findings.Any(f => f.Severity == LintSeverity.Error);

    /// <summary>The error findings only.</summary>
    public IEnumerable<LintFinding> Errors => Findings.Where(f => f.Severity == LintSeverity.Error);
}
