using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting;

/// <summary>Base class for the rules: one code, findings built with it.</summary>
public abstract class LintRule : ICertificateLint
{
    /// <inheritdoc />
    public abstract string Code { get; }

    /// <inheritdoc />
    public abstract IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context);

    /// <summary>An error finding with this rule's code.</summary>
    /// <param name="message">What is wrong.</param>
    protected LintFinding Error(string message) => new(Code, LintSeverity.Error, message);

    /// <summary>A warning finding with this rule's code.</summary>
    /// <param name="message">What is wrong.</param>
    protected LintFinding Warning(string message) => new(Code, LintSeverity.Warning, message);
}
