namespace Acme.Server.Hosting.Commands;

/// <summary>
/// The arguments of one operator command after its name: positional words, <c>--name value</c> options and
/// <c>--flag</c> switches, checked against what the command accepts. Configuration overrides
/// (<c>--Section:Key=value</c>, read by the host) are skipped.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];

    public IReadOnlyList<string> Positionals => _positionals;

    /// <summary>True when <c>--help</c> or <c>-h</c> was given; nothing else is checked then.</summary>
    public bool Help { get; private init; }

    /// <summary>The options and flags given (names).</summary>
    public IReadOnlyCollection<string> Given => [.. _values.Keys, .. _flags];

    public string? Value(string name) => _values.GetValueOrDefault(name);

    public bool Flag(string name) => _flags.Contains(name);

    /// <summary>Parses <paramref name="args"/>; on a bad argument returns null and the message in <paramref name="error"/>.</summary>
    public static CommandLine? Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags, out string? error)
    {
        error = null;
        if (args.Any(a => a is "--help" or "-h"))
        {
            return new CommandLine { Help = true };
        }

        var parsed = new CommandLine();
        var optionsEnded = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsEnded)
            {
                parsed._positionals.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true; // the usual terminator: every word after it is positional
                continue;
            }

            if (IsConfigurationOverride(arg))
            {
                continue; // a configuration override, e.g. --Storage:DatabasePath=/srv/acme.db
            }

            if (valueOptions.Contains(arg))
            {
                if (i + 1 >= args.Count || (args[i + 1].StartsWith("--", StringComparison.Ordinal) && !ResourceIds.IsWellFormed(args[i + 1])))
                {
                    error = $"{arg} needs a value";
                    return null;
                }

                if (!parsed._values.TryAdd(arg, args[++i]))
                {
                    error = $"{arg} is given twice";
                    return null;
                }
            }
            else if (flags.Contains(arg))
            {
                parsed._flags.Add(arg);
            }
            else if (arg.StartsWith('-') && !ResourceIds.IsWellFormed(arg))
            {
                // Resource ids are base64url and may start with '-' ("-2c8SzRznF__P5-JkTzdTA"): those are words.
                error = $"unknown option {arg}";
                return null;
            }
            else
            {
                parsed._positionals.Add(arg);
            }
        }

        return parsed;
    }

    /// <summary><c>--Section:Key=value</c>: the host reads these; a command never does.</summary>
    public static bool IsConfigurationOverride(string arg) =>
        arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=', StringComparison.Ordinal) is var equals and > 2 && arg.AsSpan(2, equals - 2).Contains(':');
}
