namespace Acme.Email.Dkim;

/// <summary>A DKIM private key on disk and the DNS record that publishes its public half.</summary>
/// <param name="KeyPath">Path of the PEM private key file (mode 0600 when created by us).</param>
/// <param name="Algorithm"><c>rsa-sha256</c> or <c>ed25519-sha256</c>.</param>
/// <param name="DnsName">The TXT record owner name: <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>.</param>
/// <param name="TxtValue">The TXT record value, e.g. <c>v=DKIM1; k=ed25519; p=…</c>.</param>
public sealed record DkimKeyMaterial(string KeyPath, string Algorithm, string DnsName, string TxtValue);
