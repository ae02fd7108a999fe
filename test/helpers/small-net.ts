// A small net whose convolution learns two parameter blobs with their own rates, for the tests of
// what a solver trains (learning rates, Freeze and Unfreeze).

export const SMALL_LEARNING_NET = `name: "small"
layer { name: "data" type: "Input" top: "x" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }
layer {
  name: "conv1"
  type: "Convolution"
  bottom: "x"
  top: "c1"
  param { lr_mult: 1 decay_mult: 1 }
  param { lr_mult: 2 decay_mult: 0 }
  convolution_param { num_output: 4 kernel_size: 3 }
}
layer { name: "fc" type: "InnerProduct" bottom: "c1" top: "fc" inner_product_param { num_output: 2 } }
`;
