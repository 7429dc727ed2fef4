using System.Globalization;

namespace Acme.Bench.Cli;

/// <summary>The command line of the load client (see <see cref="Usage"/>).</summary>
public sealed record BenchOptions
{
    public string? OursDirectory { get; init; }
    public string? OursTrust { get; init; }
    public int OursPid { get; init; }
    public string? OursData { get; init; }
    public string? PebbleDirectory { get; init; }
    public string? PebbleTrust { get; init; }
    public int PebblePid { get; init; }
    public string? DkimKey { get; init; }
    public string DkimSelector { get; init; } = "bench";
    public string UserDomain { get; init; } = "users.bench.test";
    public string DnsDomain { get; init; } = "pebble.bench.test";
    public IReadOnlyList<string> Servers { get; init; } = ["ours", "pebble"];
    public IReadOnlyList<int> Concurrency { get; init; } = [1, 4, 16];
    public int Issuances { get; init; } = 60;
    public int Warmup { get; init; } = 20;
    public int InitialWarmup { get; init; } = 50;
    public int? PebbleInitialWarmup { get; init; }
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan MaxPhase { get; init; } = TimeSpan.FromSeconds(300);
    public TimeSpan IssuanceTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan PollMax { get; init; } = TimeSpan.FromMilliseconds(250);
    public int Stored { get; init; }
    public int StoredConcurrency { get; init; } = 16;
    public TimeSpan StoredMax { get; init; } = TimeSpan.FromSeconds(1800);
    public int Pending { get; init; }
    public int RequestCosts { get; init; }
    public int ClockTicks { get; init; } = 100;
    public bool Smoke { get; init; }
    public bool Help { get; init; }

    public const string Usage = """
        usage: Acme.Bench [options]   (interop/bench/run.sh starts the servers and passes the first group)
          --ours-directory URL --ours-trust PEM --ours-pid PID --ours-data DIR   our server (DIR: its data directory)
          --pebble-directory URL --pebble-trust PEM --pebble-pid PID             Pebble
          --dkim-key PEM --dkim-selector S (bench) --user-domain D (users.bench.test)   the users' DKIM key, served by DNS
          --dns-domain D (pebble.bench.test)   parent of Pebble's dns identifiers
          --servers ours,pebble     which servers to measure
          --concurrency 1,4,16      concurrency levels; servers alternate within each level
          --issuances N (60)        measured issuances per server and level
          --warmup N (20)           uncounted issuances before each measured window
          --initial-warmup N (50)   uncounted issuances per server at the highest level before the first level
                                    (JIT: the tiered compiler needs a few dozen issuances to settle)
          --pebble-initial-warmup N (as --initial-warmup)   the same for Pebble alone (compiled ahead: it
                                    needs none, and its store lock deadlocks sooner the more it holds)
          --idle-seconds S (10)     at the end, each server's CPU while nobody sends it anything
          --max-seconds S (300)     time bound of each warm-up and each measured window
          --issuance-timeout S (60) time bound of one issuance
          --poll-max-ms MS (250)    polls start after 10 ms and double up to this
          --stored N (0)            first store N issuances in our server (real ones, --stored-concurrency
          --stored-concurrency C (16) --stored-max-seconds S (1800)   workers, bounded by time), then measure
          --pending N (0)           at the end, leave N authorizations pending in our server (newOrder and the
                                    authorization fetch that sends the challenge mail, never answered; the
                                    --stored-concurrency workers, bounded by --stored-max-seconds), then its RSS
          --request-costs N (0)     at the end, per server: N POST-as-GETs of an order, then N newOrders (each
                                    kind after N/4 uncounted), by the highest --concurrency level of workers;
                                    server and client CPU per request
          --clock-ticks HZ (100)    USER_HZ for /proc/<pid>/stat (getconf CLK_TCK)
          --smoke                   defaults 3 issuances, warm-up 1, no initial warm-up or idle, concurrency 1;
                                    exit 1 on any failure
        """;

    /// <summary>Parses <c>--name value</c> or <c>--name=value</c>; throws <see cref="ArgumentException"/> on a bad flag.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{arg}'");
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values[arg[2..eq]] = arg[(eq + 1)..];
            }
            else if (arg is "--smoke" or "--help")
            {
                values[arg[2..]] = "true";
            }
            else
            {
                values[arg[2..]] = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            }
        }

        var smoke = values.Remove("smoke");
        var o = new BenchOptions
        {
            Smoke = smoke,
            Help = values.Remove("help"),
            Issuances = smoke ? 3 : 60,
            Warmup = smoke ? 1 : 20,
            InitialWarmup = smoke ? 0 : 50,
            Idle = smoke ? TimeSpan.Zero : TimeSpan.FromSeconds(10),
            Concurrency = smoke ? [1] : [1, 4, 16],
        };
        o = Apply(o, values);
        return values.Count > 0 ? throw new ArgumentException($"unknown option --{values.Keys.First()}") : o.Check();
    }

    private static BenchOptions Apply(BenchOptions o, Dictionary<string, string> v)
    {
        string? Take(string name) => v.Remove(name, out var value) ? value : null;
        int Int(string name, int fallback) => Take(name) is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : fallback;
        TimeSpan Seconds(string name, TimeSpan fallback) => Take(name) is { } s ? TimeSpan.FromSeconds(double.Parse(s, CultureInfo.InvariantCulture)) : fallback;
        return o with
        {
            OursDirectory = Take("ours-directory"),
            OursTrust = Take("ours-trust"),
            OursPid = Int("ours-pid", 0),
            OursData = Take("ours-data"),
            PebbleDirectory = Take("pebble-directory"),
            PebbleTrust = Take("pebble-trust"),
            PebblePid = Int("pebble-pid", 0),
            DkimKey = Take("dkim-key"),
            DkimSelector = Take("dkim-selector") ?? o.DkimSelector,
            UserDomain = Take("user-domain") ?? o.UserDomain,
            DnsDomain = Take("dns-domain") ?? o.DnsDomain,
            Servers = Take("servers")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? o.Servers,
            Concurrency = Take("concurrency")?.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() ?? o.Concurrency,
            Issuances = Int("issuances", o.Issuances),
            Warmup = Int("warmup", o.Warmup),
            InitialWarmup = Int("initial-warmup", o.InitialWarmup),
            PebbleInitialWarmup = Take("pebble-initial-warmup") is { } pw ? int.Parse(pw, CultureInfo.InvariantCulture) : o.PebbleInitialWarmup,
            MaxPhase = Seconds("max-seconds", o.MaxPhase),
            Idle = Seconds("idle-seconds", o.Idle),
            IssuanceTimeout = Seconds("issuance-timeout", o.IssuanceTimeout),
            PollMax = Take("poll-max-ms") is { } ms ? TimeSpan.FromMilliseconds(int.Parse(ms, CultureInfo.InvariantCulture)) : o.PollMax,
            Stored = Int("stored", o.Stored),
            StoredConcurrency = Int("stored-concurrency", o.StoredConcurrency),
            StoredMax = Seconds("stored-max-seconds", o.StoredMax),
            Pending = Int("pending", o.Pending),
            RequestCosts = Int("request-costs", o.RequestCosts),
            ClockTicks = Int("clock-ticks", o.ClockTicks),
        };
    }

    private BenchOptions Check()
    {
        if (Help)
        {
            return this;
        }

        var unknown = Servers.Where(s => s is not ("ours" or "pebble")).ToList();
        if (Servers.Count == 0 || unknown.Count > 0)
        {
            throw new ArgumentException($"--servers takes ours and/or pebble, not '{string.Join(",", unknown)}'");
        }

        if (Servers.Contains("ours") && (OursDirectory is null || OursTrust is null || OursPid <= 0 || OursData is null || DkimKey is null))
        {
            throw new ArgumentException("ours needs --ours-directory, --ours-trust, --ours-pid, --ours-data and --dkim-key");
        }

        if (Servers.Contains("pebble") && (PebbleDirectory is null || PebbleTrust is null || PebblePid <= 0))
        {
            throw new ArgumentException("pebble needs --pebble-directory, --pebble-trust and --pebble-pid");
        }

        if (Concurrency.Count == 0 || Concurrency.Any(c => c is < 1 or > 256) || Issuances < 1 || Warmup < 0 || InitialWarmup < 0 || PebbleInitialWarmup < 0 || Stored < 0 || Pending < 0 || RequestCosts < 0
            || StoredConcurrency < 1 || ClockTicks < 1 || MaxPhase <= TimeSpan.Zero || IssuanceTimeout <= TimeSpan.Zero || PollMax <= TimeSpan.Zero
            || Idle < TimeSpan.Zero || Idle > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException("concurrency 1 to 256, issuances at least 1, counts not negative, times positive");
        }

        return this;
    }
}
