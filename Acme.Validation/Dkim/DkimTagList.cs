namespace Acme.Validation.Dkim;

/// <summary>
/// Reads the tags of a DKIM-Signature value (RFC 6376 §3.2 tag-list) so the policy checks can
/// look at <c>a=</c>, <c>d=</c>, <c>s=</c>, <c>h=</c>, <c>l=</c>, <c>t=</c> and <c>x=</c> before
/// MimeKit verifies the signature. MimeKit stays authoritative for the cryptographic check and
/// parses the header again itself; MimeKit exposes no public tag parser.
/// </summary>
internal sealed class DkimTagList
{
    private readonly Dictionary<string, string> _tags;

    private DkimTagList(Dictionary<string, string> tags) => _tags = tags;

    /// <summary>Parses the tag list, or returns a reason it is malformed.</summary>
    public static DkimTagList? TryParse(string value, out string? error)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var specs = value.Split(';');
        for (var i = 0; i < specs.Length; i++)
        {
            var spec = specs[i];
            if (string.IsNullOrWhiteSpace(spec) && i == specs.Length - 1)
            {
                break; // RFC 6376 §3.2: a trailing semicolon is allowed
            }

            var eq = spec.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                error = $"the tag '{Shorten(spec.Trim())}' has no '='";
                return null;
            }

            var name = spec[..eq].Trim();
            if (name.Length == 0 || !char.IsAsciiLetter(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                error = $"'{Shorten(name)}' is not a valid tag name";
                return null;
            }

            // RFC 6376 §3.2: tags with duplicate names MUST NOT occur.
            if (!tags.TryAdd(name, spec[(eq + 1)..].Trim()))
            {
                error = $"the tag {name}= occurs twice";
                return null;
            }
        }

        error = null;
        return new DkimTagList(tags);
    }

    /// <summary>The value of a tag, or null when absent.</summary>
    public string? this[string name] => _tags.TryGetValue(name, out var v) ? v : null;

    /// <summary>True when the tag is present.</summary>
    public bool Has(string name) => _tags.ContainsKey(name);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
