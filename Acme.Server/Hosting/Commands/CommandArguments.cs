using System.Globalization;

namespace Acme.Server.Hosting.Commands;

/// <summary>
/// <c>--name value</c> pairs and <c>--flag</c>s of an operator command. Every problem is an
/// <see cref="ArgumentException"/> whose message starts with the option's name.
/// </summary>
internal sealed class CommandArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private CommandArguments()
    {
    }

    /// <summary>True when <c>--help</c> or <c>-h</c> was given.</summary>
    public bool Help => _flags.Contains("--help");

    /// <summary>Parses <paramref name="args"/> against the allowed value options and flags.</summary>
    public static CommandArguments Parse(IEnumerable<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags)
    {
        var result = new CommandArguments();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current == "-h" ? "--help" : e.Current;
            if (name == "--help" || flags.Contains(name))
            {
                result._flags.Add(name);
                continue;
            }

            if (!valueOptions.Contains(name))
            {
                throw new ArgumentException($"{name}: unknown option (see --help)");
            }

            if (!e.MoveNext() || e.Current.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"{name}: a value is missing");
            }

            if (!result._values.TryAdd(name, e.Current))
            {
                throw new ArgumentException($"{name}: given twice");
            }
        }

        return result;
    }

    /// <summary>The value, or null when the option is absent.</summary>
    public string? Optional(string name) => _values.GetValueOrDefault(name);

    /// <summary>The value; throws when absent.</summary>
    public string Required(string name) => Optional(name) ?? throw new ArgumentException($"{name} is required (see --help)");

    /// <summary>True when the option has a value.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>A whole number in a range, or the default.</summary>
    public int Integer(string name, int defaultValue, int minimum, int maximum)
    {
        var text = Optional(name);
        if (text is null)
        {
            return defaultValue;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
            ? value
            : throw new ArgumentException($"{name}: '{text}' is not a whole number from {minimum} to {maximum}");
    }

    /// <summary>An absolute http:// URL (SBR §7.1.2.2: CRL and caIssuers URLs are HTTP).</summary>
    public string HttpUrl(string name)
    {
        var text = Required(name);
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp
            ? text
            : throw new ArgumentException($"{name}: '{text}' is not an absolute http:// URL (SBR §7.1.2.2)");
    }
}
