using Acme.Server.Storage;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Builders;

namespace Acme.Tests.Support.Storage;

/// <summary>
/// Builds one fixture per storage engine from a test class (or a class deriving from one carrying this
/// attribute): <c>FlowTests(Sqlite)</c> and <c>FlowTests(PostgreSql)</c>. The engine is a property of the
/// fixture, read with <see cref="ProviderOfCurrentTest"/>. A derived class may narrow the list.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class StorageMatrixAttribute(params StorageProvider[] providers) : NUnitAttribute, IFixtureBuilder2
{
    private const string PropertyName = "Storage";

    private readonly StorageProvider[] _providers = providers.Length == 0 ? [StorageProvider.Sqlite, StorageProvider.PostgreSql] : providers;

    public IEnumerable<TestSuite> BuildFrom(ITypeInfo typeInfo) => BuildFrom(typeInfo, new AcceptAll());

    public IEnumerable<TestSuite> BuildFrom(ITypeInfo typeInfo, IPreFilter filter)
    {
        var builder = new NUnitTestFixtureBuilder();
        foreach (var provider in _providers)
        {
            var parameters = new TestFixtureParameters { TestName = $"{typeInfo.Name}({provider})" };
            parameters.Properties.Set(PropertyName, provider.ToString());
            yield return builder.BuildFrom(typeInfo, filter, parameters);
        }
    }

    /// <summary>The engine of the fixture the running test belongs to; SQLite outside a matrix.</summary>
    public static StorageProvider ProviderOfCurrentTest()
    {
        for (ITest? test = TestExecutionContext.CurrentContext.CurrentTest; test is not null; test = test.Parent)
        {
            if (test.Properties.Get(PropertyName) is string name)
            {
                return Enum.Parse<StorageProvider>(name);
            }
        }

        return StorageProvider.Sqlite;
    }

    /// <summary>
    /// The <c>Storage:*</c> settings (without "--") for a server started by the running test: none for SQLite
    /// (the data directory's file), a fresh PostgreSQL database otherwise.
    /// </summary>
    public static string[] SettingsForCurrentTest() => ProviderOfCurrentTest() == StorageProvider.PostgreSql
        ? ["Storage:Provider=PostgreSql", $"Storage:ConnectionStringFile={PostgreSqlTestServer.Require().CreateDatabaseFile()}"]
        : [];

    private sealed class AcceptAll : IPreFilter
    {
        public bool IsMatch(Type type) => true;

        public bool IsMatch(Type type, System.Reflection.MethodInfo method) => true;
    }
}
