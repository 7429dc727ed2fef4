namespace Acme.Server.Nonces;

/// <summary>
/// Test switch (Pebble's NONCEREJECT idea): the share of valid nonces refused. Unlike Pebble the refusals
/// are spread evenly over the redemptions (34 refuses the 3rd, 6th, 9th, ...), so a run is repeatable
/// and, up to 50, a client's single retry always gets through.
/// </summary>
public sealed class NonceRejectSwitch(int percent)
{
    private long _redeemed;

    public int Percent => percent;

    /// <summary>Counts one valid redemption and says whether the switch refuses it.</summary>
    public bool Refuses()
    {
        if (percent <= 0)
        {
            return false;
        }

        // Redemption n is refused when the running count of refusals, floor(n * p / 100), steps up at n.
        var n = Interlocked.Increment(ref _redeemed);
        return n * percent / 100 > (n - 1) * percent / 100;
    }
}
