package dev.nalu.client;

import java.util.List;
import java.util.Map;

import dev.nalu.client.api.JobsApi;
import dev.nalu.client.api.ModelsApi;
import dev.nalu.client.model.EvaluateRequest;
import dev.nalu.client.model.EvaluateResponse;
import dev.nalu.client.model.JobCancelledEvent;
import dev.nalu.client.model.JobCompletedEvent;
import dev.nalu.client.model.JobEvent;
import dev.nalu.client.model.JobEventPage;
import dev.nalu.client.model.JobRequest;
import dev.nalu.client.model.JobState;
import dev.nalu.client.model.JobView;
import dev.nalu.client.model.Model;
import dev.nalu.client.model.ModelDocument;
import dev.nalu.client.model.ModelLabelsPatch;
import dev.nalu.client.model.PredictRequest;
import dev.nalu.client.model.PredictResponse;
import dev.nalu.client.model.Problem;
import dev.nalu.client.model.TaskRequest;
import dev.nalu.client.model.TrainingRequest;
import dev.nalu.client.model.VariableRequest;

/**
 * The README's five-minute walk-through, written against the Java client that OpenAPI Generator makes from
 * /v3/api-docs with its defaults (okhttp-gson) and nothing hand-written: submit a × b, poll it, read its events and
 * model, evaluate, predict; a bad request surfaces as a typed problem; a PATCH of aliases keeps the tags; a preset
 * submit made by the client's defaults is accepted. GeneratedClientsTest compiles it with the generated client and
 * runs it against the service: exit 0 when every step held, else a message naming the step.
 *
 * <p>Arguments: the service's base URL and an admin key.
 */
public final class WalkThrough {
    private WalkThrough() {
    }

    public static void main(String[] args) throws Exception {
        ApiClient client = new ApiClient();
        client.setBasePath(args[0]);
        client.setBearerToken(args[1]);
        JobsApi jobs = new JobsApi(client);
        ModelsApi models = new ModelsApi(client);

        JobRequest request = new JobRequest().name("learn-mul")
                .task(new TaskRequest().expression("a * b")
                        .variables(Map.of("a", new VariableRequest().train(List.of(List.of(1.0, 2.0))),
                                "b", new VariableRequest().train(List.of(List.of(1.0, 2.0)))))
                        .extrapolation(List.of(List.of(List.of(2.0, 6.0)), List.of(List.of(10.0, 100.0)))))
                .model(new Model("auto"))
                .training(new TrainingRequest().steps(20000L).population(16).seed(42L).learningRate(0.01).batchSize(64));
        JobView job = jobs.submitJob(request, null);
        long deadline = System.currentTimeMillis() + 180_000;
        while (!List.of(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)
                .contains(job.getState())) {
            check(System.currentTimeMillis() < deadline, "job " + job.getId() + " did not finish in 180 s: " + job.getState());
            Thread.sleep(200);
            job = jobs.getJob(job.getId());
        }
        check(job.getState() == JobState.SUCCEEDED, "the job ended " + job.getState() + ": " + job.getFailureReason());
        check(job.getProgress() != null && job.getProgress().getStep() > 0, "the job has no progress: " + job.getProgress());
        check(job.getSpec().getModel().getLayers().size() == 1, "auto chose " + job.getSpec().getModel());

        JobEventPage events = jobs.streamJobEvents(job.getId(), null, null, 100);
        JobEvent last = events.getItems().get(events.getItems().size() - 1);
        check(last.getActualInstance() instanceof JobCompletedEvent, "the last event is " + last.getActualInstance());
        JobCompletedEvent completed = last.getJobCompletedEvent();
        check(completed.getData().getModelId().equals(job.getModelId()), "completed names model " + completed.getData());

        ModelDocument model = models.getModel(job.getModelId());
        check(Boolean.TRUE.equals(model.getFormula().getExact()) && "y = a × b".equals(model.getFormula().getText()),
                "the formula is " + model.getFormula());
        check(model.getMetrics().getExtrapolation().size() == 2, "metrics: " + model.getMetrics());

        EvaluateResponse evaluation = models.evaluateModel(model.getId(), new EvaluateRequest()
                .ranges(List.of(List.of(List.of(1e3, 1e6)))).samples(1000).seed(1L));
        check(Boolean.TRUE.equals(evaluation.getResults().get(0).getSuccess()), "evaluate: " + evaluation);

        PredictResponse prediction = models.predict(model.getId(),
                new PredictRequest().inputs(List.of(Map.of("a", 12345.0, "b", 678.0))));
        check(prediction.getOutputs().equals(List.of(8369910.0)), "predict: " + prediction);

        try {
            jobs.submitJob(new JobRequest().task(new TaskRequest().expression("a / b")
                    .variables(Map.of("a", new VariableRequest().train(List.of(List.of(1.0, 2.0))),
                            "b", new VariableRequest().train(List.of(List.of(-1.0, 1.0)))))), null);
            check(false, "a / b over [-1, 1] was accepted");
        } catch (ApiException e) {
            Problem problem = Problem.fromJson(e.getResponseBody());
            check(e.getCode() == 400 && problem.getStatus() == 400 && "task.variables".equals(problem.getField())
                    && "/problems/invalid-field".equals(problem.getType()), "the bad request answered " + e.getCode()
                    + " " + e.getResponseBody());
        }

        models.updateModelLabels(model.getId(), new ModelLabelsPatch().tags(List.of("walk-through")));
        ModelDocument labelled = models.updateModelLabels(model.getId(), new ModelLabelsPatch().aliases(List.of("walk:mul")));
        check(labelled.getTags().equals(List.of("walk-through")) && labelled.getAliases().equals(List.of("walk:mul")),
                "after patching only the aliases: tags " + labelled.getTags() + ", aliases " + labelled.getAliases());

        JobView preset = jobs.submitJob(new JobRequest().task(new TaskRequest().preset("trask-add"))
                .training(new TrainingRequest().steps(200000L)), null);
        check(preset.getId() != null, "the preset job: " + preset);
        jobs.cancelJob(preset.getId());
        for (JobView p = jobs.getJob(preset.getId()); p.getState() != JobState.CANCELLED; p = jobs.getJob(preset.getId())) {
            check(System.currentTimeMillis() < deadline + 60_000, "the preset job was not cancelled: " + p.getState());
            Thread.sleep(100);
        }
        List<JobEvent> presetEvents = jobs.streamJobEvents(preset.getId(), null, null, 100).getItems();
        check(presetEvents.get(presetEvents.size() - 1).getActualInstance() instanceof JobCancelledEvent,
                "the cancelled job's last event is " + presetEvents.get(presetEvents.size() - 1));
        System.out.println("walk-through passed: job " + job.getId() + " → model " + model.getId() + " "
                + model.getFormula().getText());
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            System.err.println("walk-through failed: " + message);
            System.exit(1);
        }
    }
}
