namespace Acme.Validation.Caa;

/// <summary>
/// A parsed <c>issuemail</c> property value. The grammar is that of <c>issue</c> (RFC 9495 §3,
/// RFC 8659 §4.2):
/// <code>
/// issuemail-value    = *WSP [issuer-domain-name *WSP] [";" *WSP [parameters *WSP]]
/// issuer-domain-name = label *("." label)
/// label              = (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT))
/// parameters         = (parameter *WSP ";" *WSP parameters) / parameter
/// parameter          = tag *WSP "=" *WSP value
/// tag                = (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT))
/// value              = *(%x21-3A / %x3C-7E)
/// </code>
/// The parser is strict: anything else (a trailing <c>;</c> after parameters, an empty label,
/// a parameter without <c>=</c>) is malformed, which forbids issuance (RFC 9495 §5.5).
/// </summary>
public sealed class IssueMailValue
{
    private IssueMailValue(string? issuerDomainName, IReadOnlyList<IssueMailParameter> parameters)
    {
        IssuerDomainName = issuerDomainName;
        Parameters = parameters;
    }

    /// <summary>The issuer-domain-name, or null when the value names none (for example <c>";"</c>).</summary>
    public string? IssuerDomainName { get; }

    /// <summary>The parameters in published order.</summary>
    public IReadOnlyList<IssueMailParameter> Parameters { get; }

    /// <summary>Parses <paramref name="text"/>; returns null when it does not match the grammar.</summary>
    public static IssueMailValue? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new Reader(text);
        reader.SkipWsp();
        var issuer = reader.ReadDomainName();
        if (issuer is { Length: 0 })
        {
            return null;
        }

        reader.SkipWsp();
        var parameters = new List<IssueMailParameter>();
        if (reader.TryConsume(';'))
        {
            reader.SkipWsp();
            if (!reader.AtEnd)
            {
                while (true)
                {
                    var parameter = reader.ReadParameter();
                    if (parameter is null)
                    {
                        return null;
                    }

                    parameters.Add(parameter);
                    reader.SkipWsp();
                    if (reader.AtEnd)
                    {
                        break;
                    }

                    // RFC 8659 §4.2: parameters are separated by ";" and one must follow it.
                    if (!reader.TryConsume(';'))
                    {
                        return null;
                    }

                    reader.SkipWsp();
                    if (reader.AtEnd)
                    {
                        return null;
                    }
                }
            }
        }

        return reader.AtEnd ? new IssueMailValue(issuer, parameters) : null;
    }

    private sealed class Reader(string text)
    {
        private int _pos;

        public bool AtEnd => _pos == text.Length;

        public void SkipWsp()
        {
            while (_pos < text.Length && text[_pos] is ' ' or '\t')
            {
                _pos++;
            }
        }

        public bool TryConsume(char c)
        {
            if (_pos < text.Length && text[_pos] == c)
            {
                _pos++;
                return true;
            }

            return false;
        }

        /// <summary>Null when no name starts here; "" when a name starts but is malformed.</summary>
        public string? ReadDomainName()
        {
            if (_pos >= text.Length || !char.IsAsciiLetterOrDigit(text[_pos]))
            {
                return null;
            }

            var start = _pos;
            while (true)
            {
                if (ReadLabel() is null)
                {
                    return string.Empty;
                }

                if (_pos < text.Length && text[_pos] == '.')
                {
                    _pos++;
                    continue;
                }

                return text[start.._pos];
            }
        }

        public IssueMailParameter? ReadParameter()
        {
            var tag = ReadLabel();
            if (tag is null)
            {
                return null;
            }

            SkipWsp();
            if (!TryConsume('='))
            {
                return null;
            }

            SkipWsp();
            var start = _pos;
            while (_pos < text.Length && text[_pos] is (>= '\x21' and <= '\x3A') or (>= '\x3C' and <= '\x7E'))
            {
                _pos++;
            }

            return new IssueMailParameter(tag, text[start.._pos]);
        }

        // label = (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT)): no leading or trailing hyphen.
        private string? ReadLabel()
        {
            var start = _pos;
            if (_pos >= text.Length || !char.IsAsciiLetterOrDigit(text[_pos]))
            {
                return null;
            }

            while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '-'))
            {
                _pos++;
            }

            return text[_pos - 1] == '-' ? null : text[start.._pos];
        }
    }
}
