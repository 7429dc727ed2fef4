using System.Diagnostics;

namespace Acme.Tests.Support;

/// <summary>A bounded poll for work done by background loops: checks a condition until it holds or the bound passes.</summary>
public static class Eventually
{
    /// <summary>True once <paramref name="condition"/> holds; false when <paramref name="bound"/> passes first.</summary>
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan bound, Action? eachRound = null)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < bound)
        {
            eachRound?.Invoke();
            if (await condition())
            {
                return true;
            }

            await timer.WaitForNextTickAsync();
        }

        return await condition();
    }
}
