from tests.helpers.registry import RegistryHarness, doc


def test_company_submission_is_credited_and_foreign_company_is_refused(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    index = registry.plan_milestone(project)
    receipt = registry.send(
        registry.actors.company_a, registry.grants.functions.submitMilestone(project, index, [doc("e")])
    )
    event = registry.event(receipt, registry.grants, "MilestoneSubmitted")
    assert event["submitter"] == registry.actors.company_a
    registry.reverts(
        registry.actors.company_b,
        registry.grants.functions.submitMilestone(project, index, [doc("f")]),
        "ProjectUnauthorizedCompany",
        projectId=project,
        account=registry.actors.company_b,
    )


def test_relayed_submission_credits_signer(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    index = registry.plan_milestone(project)
    data = registry.calldata(registry.grants.functions.submitMilestone(project, index, [doc("e")]))
    request = registry.sign(registry.actors.company_a, registry.grants, data)
    receipt = registry.relay(request)
    assert registry.event(receipt, registry.grants, "MilestoneSubmitted")["submitter"] == registry.actors.company_a
    registry.reverts(
        registry.actors.relayer,
        registry.forwarder.functions.execute(request.execute_args()),
        "ERC2771ForwarderInvalidSigner",
    )
