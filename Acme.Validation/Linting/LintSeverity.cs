namespace Acme.Validation.Linting;

/// <summary>How serious a lint finding is.</summary>
public enum LintSeverity
{
    /// <summary>A SHALL / SHALL NOT of the SBR or RFC 5280 is broken: the certificate must not be issued.</summary>
    Error,

    /// <summary>A SHOULD / SHOULD NOT is not followed: issuance may proceed, the finding is logged.</summary>
    Warning,

    /// <summary>Information only.</summary>
    Notice,
}
