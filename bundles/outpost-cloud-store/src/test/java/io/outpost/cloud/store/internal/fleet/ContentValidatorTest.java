package io.outpost.cloud.store.internal.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.store.testing.Fixtures;
import io.outpost.common.OutpostException;
import io.outpost.manifest.ManifestParser;
import org.junit.jupiter.api.Test;

class ContentValidatorTest {

    private final ContentValidator validator = new ContentValidator(new ManifestParser());

    @Test
    void givenValidBaseAndLayer_whenChecked_thenAccepted() {
        assertThat(validator.check(Fixtures.BASE, false).has("$edgeAgent")).isTrue();
        assertThat(validator.check(Fixtures.LAYER, true).has("filter")).isTrue();
        assertThat(validator.check("{\"modulesContent\": " + Fixtures.BASE + "}", false).has("$edgeHub")).isTrue();
    }

    @Test
    void givenBaseWithModuleWithoutImage_whenChecked_thenRefusedWithTheManifestErrorAndPointer() {
        OutpostException e = catchThrowableOfType(OutpostException.class,
                () -> validator.check(Fixtures.BASE.replace("\"image\": \"sensor:1\", ", ""), false));

        assertThat(e.errorCode()).isEqualTo(CloudErrorCode.DEPLOYMENT_INVALID);
        assertThat(e.getMessage()).startsWith("the deployment is not a valid deployment manifest:\nerror: ")
                .contains("/modulesContent/$edgeAgent/properties.desired/modules/sensor/settings");
    }

    @Test
    void givenLayerWithBadRestartPolicy_whenChecked_thenRefusedAsAppliedToTheEmptyBase() {
        OutpostException e = catchThrowableOfType(OutpostException.class,
                () -> validator.check(Fixtures.LAYER.replace("\"restartPolicy\": \"always\"",
                        "\"restartPolicy\": \"sometimes\""), true));

        assertThat(e.errorCode()).isEqualTo(CloudErrorCode.DEPLOYMENT_INVALID);
        assertThat(e.getMessage()).contains("the layer applied to an empty base deployment")
                .contains("/modules/filter/restartPolicy");
    }

    @Test
    void givenBaseWithRouteWhoseConditionDoesNotParse_whenChecked_thenRefusedNamingTheRouteAndColumn() {
        OutpostException e = catchThrowableOfType(OutpostException.class, () -> validator.check(Fixtures.BASE
                .replace("FROM /messages/* INTO $upstream", "FROM /messages/* WHERE level = INTO $upstream"), false));

        assertThat(e.errorCode()).isEqualTo(CloudErrorCode.DEPLOYMENT_INVALID);
        assertThat(e.getMessage()).isEqualTo("the deployment is not a valid deployment manifest:\n"
                + "error: /modulesContent/$edgeHub/properties.desired/routes/up: the route does not parse at column "
                + "32: expected a value, a name, a function call or '(', found 'INTO'");
    }

    @Test
    void givenLayerWithRouteObjectWhoseConditionDoesNotParse_whenChecked_thenRefusedNamingItsRoute() {
        String layer = Fixtures.LAYER.replace("\"FROM /messages/modules/filter/* INTO $upstream\"",
                "{\"route\": \"FROM /messages/modules/filter/* WHERE (a = 'b' INTO $upstream\", \"priority\": 1}");
        OutpostException e = catchThrowableOfType(OutpostException.class, () -> validator.check(layer, true));

        assertThat(e.errorCode()).isEqualTo(CloudErrorCode.DEPLOYMENT_INVALID);
        assertThat(e.getMessage()).isEqualTo("the layer applied to an empty base deployment is not a valid "
                + "deployment manifest:\nerror: /modulesContent/$edgeHub/properties.desired/routes/filterUp/route: "
                + "the route does not parse at column 48: expected ')' to close '(' at column 39, found 'INTO'");
    }

    @Test
    void givenContentSettingAPathOutsideDesiredProperties_whenChecked_thenRefusedNamingThePath() {
        OutpostException e = catchThrowableOfType(OutpostException.class,
                () -> validator.check("{\"filter\": {\"properties.reported.x\": 1}}", true));

        assertThat(e.errorCode()).isEqualTo(CloudErrorCode.DEPLOYMENT_INVALID);
        assertThat(e.getMessage()).contains("/filter/properties.reported.x");
    }

    @Test
    void givenContentThatIsNotJson_whenChecked_thenRefusedAsInvalidArgument() {
        OutpostException e = catchThrowableOfType(OutpostException.class, () -> validator.check("{nope", false));

        assertThat(e.errorCode()).isEqualTo(CloudErrorCode.INVALID_ARGUMENT);
    }
}
