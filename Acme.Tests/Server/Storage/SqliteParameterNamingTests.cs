using System.Data.Common;
using Acme.Server.Storage;
using Acme.Tests.Support.Storage;
using Dapper;

namespace Acme.Tests.Server.Storage;

/// <summary>
/// Issue 13: a parameter named without its prefix (as Dapper names them) is renamed to the <c>@name</c> the SQL
/// writes, which Microsoft.Data.Sqlite finds in one look-up instead of four; every other spelling still binds.
/// </summary>
public sealed class SqliteParameterNamingTests
{
    private TempSqliteFile _file = null!;
    private SqliteConnectionFactory _engine = null!;

    [SetUp]
    public async Task SetUp()
    {
        _file = new TempSqliteFile();
        _engine = new SqliteConnectionFactory(_file.Path, 5000);
        await using var c = await _engine.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("CREATE TABLE t (v INTEGER PRIMARY KEY, w TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c');");
    }

    [TearDown]
    public async Task TearDown()
    {
        await _engine.DisposeAsync();
        _file.Dispose();
    }

    [Test]
    public async Task AnUnprefixedName_WrittenWithAtInTheSql_IsRenamedToIt()
    {
        await using var c = await _engine.OpenAsync(CancellationToken.None);
        var (command, v, w) = Command(c, "SELECT w FROM t WHERE v = @v AND w <> @w", "v", "w");
        await using var owned = command;

        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo("b"));
        Assert.That((v.ParameterName, w.ParameterName), Is.EqualTo(("@v", "@w")));
    }

    [TestCase("SELECT w FROM t WHERE v = $v AND w <> $w")]
    [TestCase("SELECT w FROM t WHERE v = :v AND w <> :w")]
    public async Task AnUnprefixedName_WrittenOtherwise_KeepsItsNameAndStillBinds(string sql)
    {
        await using var c = await _engine.OpenAsync(CancellationToken.None);
        var (command, v, w) = Command(c, sql, "v", "w");
        await using var owned = command;

        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo("b"));
        Assert.That((v.ParameterName, w.ParameterName), Is.EqualTo(("v", "w")));
    }

    [Test]
    public async Task PrefixedNames_AreLeftAsGiven()
    {
        await using var c = await _engine.OpenAsync(CancellationToken.None);
        var (command, v, w) = Command(c, "SELECT w FROM t WHERE v = $v AND w <> @w", "$v", "@w");
        await using var owned = command;

        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo("b"));
        Assert.That((v.ParameterName, w.ParameterName), Is.EqualTo(("$v", "@w")));
    }

    [Test]
    public async Task DapperParameters_BindOverRepeatedUses_WithEachUsesValues()
    {
        for (var round = 0; round < 3; round++)
        {
            foreach (var (v, w) in new[] { (1L, "a"), (2L, "b"), (3L, "c") })
            {
                await using var c = await _engine.OpenAsync(CancellationToken.None);
                Assert.That(await c.QuerySingleAsync<string>("SELECT w FROM t WHERE v = @v", new { v }), Is.EqualTo(w));
                Assert.That(await c.QuerySingleAsync<long>("SELECT v FROM t WHERE w = @w", new { w }), Is.EqualTo(v));
            }
        }
    }

    private static (DbCommand Command, DbParameter V, DbParameter W) Command(DbConnection c, string sql, string vName, string wName)
    {
        var command = c.CreateCommand();
        command.CommandText = sql;
        var v = command.CreateParameter();
        v.ParameterName = vName;
        v.Value = 2L;
        var w = command.CreateParameter();
        w.ParameterName = wName;
        w.Value = "z";
        command.Parameters.Add(v);
        command.Parameters.Add(w);
        return (command, v, w);
    }
}
