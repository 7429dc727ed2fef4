namespace Acme.Validation.Dkim;

/// <summary>The DKIM signature that passed every check.</summary>
/// <param name="Domain">The signing domain <c>d=</c>, lower-case A-labels.</param>
/// <param name="Selector">The selector <c>s=</c>.</param>
/// <param name="Algorithm">The algorithm <c>a=</c> (<c>rsa-sha256</c> or <c>ed25519-sha256</c>).</param>
/// <param name="SignedHeaders">The header names of <c>h=</c>, lower-case, in signature order.</param>
public sealed record DkimPass(string Domain, string Selector, string Algorithm, IReadOnlyList<string> SignedHeaders);
