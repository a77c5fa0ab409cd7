/**
 * The part of ONNX's `onnx.proto` (IR version 8) the engine writes and reads, as a protobufjs JSON descriptor.
 * Field numbers and types follow the ONNX IR specification; messages and fields we never use are left out
 * (protobuf readers skip unknown fields, so files from other tools still decode).
 */
import { Root } from 'protobufjs';

const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });
const field = (type: string, id: number) => ({ type, id });

const descriptor = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            ir_version: field('int64', 1),
            opset_import: repeated('OperatorSetIdProto', 8),
            producer_name: field('string', 2),
            producer_version: field('string', 3),
            doc_string: field('string', 6),
            graph: field('GraphProto', 7),
            metadata_props: repeated('StringStringEntryProto', 14),
          },
        },
        OperatorSetIdProto: { fields: { domain: field('string', 1), version: field('int64', 2) } },
        StringStringEntryProto: { fields: { key: field('string', 1), value: field('string', 2) } },
        GraphProto: {
          fields: {
            node: repeated('NodeProto', 1),
            name: field('string', 2),
            initializer: repeated('TensorProto', 5),
            doc_string: field('string', 10),
            input: repeated('ValueInfoProto', 11),
            output: repeated('ValueInfoProto', 12),
          },
        },
        NodeProto: {
          fields: {
            input: repeated('string', 1),
            output: repeated('string', 2),
            name: field('string', 3),
            op_type: field('string', 4),
            attribute: repeated('AttributeProto', 5),
            domain: field('string', 7),
          },
        },
        AttributeProto: {
          fields: {
            name: field('string', 1),
            type: field('int32', 20),
            f: field('float', 2),
            i: field('int64', 3),
            s: field('bytes', 4),
            t: field('TensorProto', 5),
            floats: repeated('float', 7),
            ints: repeated('int64', 8),
          },
        },
        ValueInfoProto: { fields: { name: field('string', 1), type: field('TypeProto', 2) } },
        TypeProto: {
          fields: { tensor_type: field('TypeProtoTensor', 1) },
        },
        TypeProtoTensor: { fields: { elem_type: field('int32', 1), shape: field('TensorShapeProto', 2) } },
        TensorShapeProto: { fields: { dim: repeated('Dimension', 1) } },
        Dimension: { fields: { dim_value: field('int64', 1), dim_param: field('string', 2) } },
        TensorProto: {
          fields: {
            dims: repeated('int64', 1),
            data_type: field('int32', 2),
            float_data: repeated('float', 4),
            int32_data: repeated('int32', 5),
            int64_data: repeated('int64', 7),
            name: field('string', 8),
            raw_data: field('bytes', 9),
            double_data: repeated('double', 10),
          },
        },
      },
    },
  },
};

const root = Root.fromJSON(descriptor);

/** The protobufjs type of ONNX's ModelProto. */
export const ModelProtoType = root.lookupType('onnx.ModelProto');

/** ONNX AttributeProto.AttributeType codes. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;
