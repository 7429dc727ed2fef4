using System.Text.Json.Nodes;

namespace Acme.Tests.Server.Hosting;

/// <summary>
/// The runtime settings the server ships with (Acme.Server.csproj, docs/performance.md): they live in its
/// runtimeconfig.json, which the build copies next to the tests.
/// </summary>
public sealed class RuntimeSettingsTests
{
    private static JsonNode ConfigProperties()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Acme.Server.runtimeconfig.json");
        return JsonNode.Parse(File.ReadAllText(path))!["runtimeOptions"]!["configProperties"]!;
    }

    [Test]
    public void TieredPgo_IsOff_ForTheMemoryItsInstrumentedCodeHolds() =>
        Assert.That(ConfigProperties()["System.Runtime.TieredPGO"]?.GetValue<bool>(), Is.False);

    [Test]
    public void ServerGc_AndNoSpinningThreadPool_AreKept()
    {
        var properties = ConfigProperties();
        Assert.That(properties["System.GC.Server"]?.GetValue<bool>(), Is.True);
        Assert.That(properties["System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"]?.GetValue<int>(), Is.Zero);
    }
}
