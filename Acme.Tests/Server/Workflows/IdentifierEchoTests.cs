using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;
using Acme.Server.Workflows;

namespace Acme.Tests.Server.Workflows;

[TestFixture]
public sealed class IdentifierEchoTests
{
    [Test]
    public void Types_RowWrittenBeforeTheMigration_EveryMailboxIsEmail()
    {
        var order = new OrderRow { Identifiers = """["a@example.test","b@example.test"]""", IdentifierTypes = "[]" };

        Assert.That(IdentifierEcho.Types(order), Is.EqualTo(new[] { "email", "email" }));
    }

    [Test]
    public void Identifiers_MixedTypes_KeepTheirOrder()
    {
        var order = new OrderRow { Identifiers = """["a@example.test","b@example.test"]""", IdentifierTypes = """["dns","email"]""" };

        Assert.That(IdentifierEcho.Identifiers(order), Is.EqualTo(new[]
        {
            new Identifier { Type = "dns", Value = "a@example.test" },
            new Identifier { Type = "email", Value = "b@example.test" },
        }));
    }

    [Test]
    public void Relabel_SubproblemsNamingTheMailbox_ShowTheSentType_OthersUntouched()
    {
        var problem = AcmeProblems.Caa("refused") with
        {
            Subproblems =
            [
                AcmeProblems.Caa("a refused") with { Identifier = Identifier.Email("a@example.test") },
                AcmeProblems.Caa("c refused") with { Identifier = Identifier.Email("c@example.test") },
            ],
        };

        var relabeled = IdentifierEcho.Relabel(problem, new Dictionary<string, string> { ["a@example.test"] = "dns" });

        Assert.That(relabeled.Subproblems!.Select(s => s.Identifier!.Type), Is.EqualTo(new[] { "dns", "email" }));
    }
}
