using System.Globalization;

namespace Acme.Bench.Measure;

/// <summary>
/// CPU time (utime + stime, /proc/&lt;pid&gt;/stat fields 14 and 15, in clock ticks) and resident memory
/// (VmRSS of /proc/&lt;pid&gt;/status) of a server process at one moment.
/// </summary>
public sealed record ProcessSample(double CpuMilliseconds, long RssKilobytes)
{
    /// <summary>Reads the sample; <paramref name="clockTicks"/> is USER_HZ (<c>getconf CLK_TCK</c>).</summary>
    public static ProcessSample Read(int pid, int clockTicks)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return new ProcessSample(ticks * 1000.0 / clockTicks, ReadRss(pid));
    }

    private static long ReadRss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
