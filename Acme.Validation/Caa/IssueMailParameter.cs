namespace Acme.Validation.Caa;

/// <summary>One <c>tag=value</c> parameter of an <c>issuemail</c> (or <c>issue</c>) property value.</summary>
/// <param name="Tag">The parameter tag, as published.</param>
/// <param name="Value">The parameter value (may be empty).</param>
public sealed record IssueMailParameter(string Tag, string Value);
