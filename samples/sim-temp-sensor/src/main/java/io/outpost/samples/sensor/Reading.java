package io.outpost.samples.sensor;

import com.google.gson.JsonObject;
import java.time.Instant;

/** One reading, as Azure's SimulatedTemperatureSensor sends it. */
public record Reading(double machineTemperature, double machinePressure, double ambientTemperature,
        double ambientHumidity, Instant timeCreated) {

    /** {@code {"machine":{"temperature":..,"pressure":..},"ambient":{"temperature":..,"humidity":..},"timeCreated":".."}} */
    public String toJson() {
        JsonObject machine = new JsonObject();
        machine.addProperty("temperature", machineTemperature);
        machine.addProperty("pressure", machinePressure);
        JsonObject ambient = new JsonObject();
        ambient.addProperty("temperature", ambientTemperature);
        ambient.addProperty("humidity", ambientHumidity);
        JsonObject o = new JsonObject();
        o.add("machine", machine);
        o.add("ambient", ambient);
        o.addProperty("timeCreated", timeCreated.toString());
        return o.toString();
    }
}
