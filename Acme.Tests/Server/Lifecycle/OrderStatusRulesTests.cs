using Acme.Server.Lifecycle;
using Acme.Server.Protocol;

namespace Acme.Tests.Server.Lifecycle;

public sealed class OrderStatusRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Now.AddHours(1);

    private const AuthorizationStatus P = AuthorizationStatus.Pending;
    private const AuthorizationStatus V = AuthorizationStatus.Valid;

    [TestCase(OrderStatus.Pending, new[] { P, V }, OrderStatus.Pending)]
    [TestCase(OrderStatus.Pending, new[] { V, V }, OrderStatus.Ready)]
    [TestCase(OrderStatus.Pending, new[] { V, AuthorizationStatus.Invalid }, OrderStatus.Invalid)]
    [TestCase(OrderStatus.Pending, new[] { V, AuthorizationStatus.Deactivated }, OrderStatus.Invalid)]
    [TestCase(OrderStatus.Ready, new[] { V, AuthorizationStatus.Expired }, OrderStatus.Invalid)]
    [TestCase(OrderStatus.Ready, new[] { V, AuthorizationStatus.Revoked }, OrderStatus.Invalid)]
    [TestCase(OrderStatus.Ready, new[] { V }, OrderStatus.Ready)]
    [TestCase(OrderStatus.Processing, new[] { V }, OrderStatus.Processing)]
    [TestCase(OrderStatus.Valid, new[] { AuthorizationStatus.Expired }, OrderStatus.Valid)]
    [TestCase(OrderStatus.Invalid, new[] { V }, OrderStatus.Invalid)]
    public void Derive_BeforeExpiry_FollowsAuthorizations(OrderStatus stored, AuthorizationStatus[] authorizations, OrderStatus expected) =>
        Assert.That(OrderStatusRules.Derive(stored, Later, authorizations, Now), Is.EqualTo(expected));

    [TestCase(OrderStatus.Pending, OrderStatus.Invalid)]
    [TestCase(OrderStatus.Ready, OrderStatus.Invalid)]
    [TestCase(OrderStatus.Processing, OrderStatus.Invalid)]
    [TestCase(OrderStatus.Valid, OrderStatus.Valid)]
    public void Derive_AfterExpiry_InvalidUnlessValid(OrderStatus stored, OrderStatus expected) =>
        Assert.That(OrderStatusRules.Derive(stored, Now, [V], Now), Is.EqualTo(expected));

    [Test]
    public void Derive_NoAuthorizations_Pending() =>
        Assert.That(OrderStatusRules.Derive(OrderStatus.Pending, Later, [], Now), Is.EqualTo(OrderStatus.Pending));

    [TestCase(AuthorizationStatus.Pending, true, AuthorizationStatus.Expired)]
    [TestCase(AuthorizationStatus.Valid, true, AuthorizationStatus.Expired)]
    [TestCase(AuthorizationStatus.Invalid, true, AuthorizationStatus.Invalid)]
    [TestCase(AuthorizationStatus.Pending, false, AuthorizationStatus.Pending)]
    [TestCase(AuthorizationStatus.Deactivated, true, AuthorizationStatus.Deactivated)]
    public void AuthorizationEffective_Expiry_Applies(AuthorizationStatus stored, bool expired, AuthorizationStatus expected) =>
        Assert.That(AuthorizationStatusRules.Effective(stored, expired ? Now : Later, Now), Is.EqualTo(expected));
}
